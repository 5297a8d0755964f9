"""Le schéma OpenAPI : le corps d'erreur commun (`Erreur`) et les réponses d'erreur de chaque
opération (400, 401, 403, 404, 429), ajoutés une fois ici plutôt que sur chaque vue ; les vues du
schéma et de la documentation refusent comme le reste de l'API (`erreurs_en_json`)."""

from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

ERREUR = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "Le message, en français."},
        "champs": {
            "type": "object",
            "description": "400 seulement : pour chaque champ en cause (chemin dans la requête, "
            "paramètre de l'adresse ou en-tête), ses messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
REPONSES = {
    "400": "Requête invalide : « champs » nomme chaque champ, paramètre ou en-tête en cause.",
    "401": "Clé d'API absente, inconnue, révoquée ou expirée.",
    "403": "La clé n'a pas le droit demandé, ou le rôle ne permet pas l'action.",
    "404": "Introuvable dans le périmètre de la clé (autre structure, autre PLIE).",
    "429": "Limite de débit atteinte : réessayer après « Retry-After » secondes.",
}


def reponses_d_erreur(result, generator, request, public):
    """Crochet `POSTPROCESSING_HOOKS` de drf-spectacular."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Erreur"] = ERREUR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            reponses = operation.setdefault("responses", {})
            for code, description in REPONSES.items():
                reponses.setdefault(code, {"description": description})
                reponses[code].setdefault("content", reference)
    return result


def erreurs_en_json(vue):
    """La vue de drf-spectacular dont les refus (401 sans clé ni session, 429…) sont rendus en
    JSON français comme toute l'API, et non en page HTML anglaise (« 401 Unauthorized ») ou en
    YAML : un partenaire les lit avec le même code."""

    class Vue(vue):
        def handle_exception(self, exc):
            reponse = super().handle_exception(exc)
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
            return reponse

    Vue.__name__ = Vue.__qualname__ = vue.__name__
    return Vue


class SchemaGenereUneFois(SpectacularAPIView):
    """Le schéma OpenAPI, généré une fois par processus et par format : il ne dépend que du code
    (servi à tout compte authentifié, `SERVE_PUBLIC`), et drf-spectacular le recalculait à chaque
    appel (100 à 150 ms de processeur). Un `?version=` (texte libre : l'API n'a pas de versions
    déclarées) est servi comme avant, sans être gardé : sinon chaque valeur inventée garderait
    un schéma de plus en mémoire."""

    _generes: dict = {}

    def _get_schema_response(self, request):
        if request.version or request.GET.get("version"):
            return super()._get_schema_response(request)
        # Les formats sont ceux des rendus de la vue : un ensemble fixe.
        cle = request.accepted_renderer.format
        if cle not in self._generes:
            reponse = super()._get_schema_response(request)
            self._generes[cle] = (reponse.data, dict(reponse.headers))
        donnees, entetes = self._generes[cle]
        return Response(data=donnees, headers=entetes)
