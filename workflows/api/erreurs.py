"""Un seul corps d'erreur, en français : `{"detail": "…", "champs": {"personne.nom": ["…"]}}`.

`champs` (pour un 400) nomme chaque champ en cause par son chemin dans la requête (points pour
les objets imbriqués, index pour les listes : `lignes.3.mois`) ou le paramètre de l'adresse
(`taille`, `updated_since`) ou l'en-tête (`Idempotency-Key`). Les autres statuts ont `detail`
seul. Jamais de 500 pour une mauvaise saisie : les erreurs du domaine sont traduites ici."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from parcours.core.errors import DonneesTransitionInvalides, TransitionNonAutorisee

DETAIL_400 = "Requête invalide : voyez les champs en cause."


def aplatir(erreurs, prefixe: str = "") -> dict[str, list[str]]:
    """Les erreurs imbriquées de DRF en {chemin: [messages]} ; celles qui ne visent aucun champ
    vont à `detail` (ou au chemin de l'objet imbriqué qui les porte)."""
    resultat: dict[str, list[str]] = {}

    def ajouter(chemin, messages):
        resultat.setdefault(chemin or "detail", []).extend(messages)

    if isinstance(erreurs, dict):
        for cle, valeur in erreurs.items():
            if cle in ("non_field_errors", "__all__"):
                chemin = prefixe
            else:
                chemin = f"{prefixe}.{cle}" if prefixe else str(cle)
            for c, messages in aplatir(valeur, chemin).items():
                ajouter(c, messages)
    elif isinstance(erreurs, list):
        if all(not isinstance(e, dict | list) for e in erreurs):
            ajouter(prefixe, [str(e) for e in erreurs])
        else:
            for index, valeur in enumerate(erreurs):
                if valeur:
                    chemin = f"{prefixe}.{index}" if prefixe else str(index)
                    for c, messages in aplatir(valeur, chemin).items():
                        ajouter(c, messages)
    else:
        ajouter(prefixe, [str(erreurs)])
    return resultat


def erreur_400(champs: dict[str, list[str]], detail: str = DETAIL_400) -> Response:
    return Response({"detail": detail, "champs": champs}, status=status.HTTP_400_BAD_REQUEST)


def gerer_exception(exc, context):
    if isinstance(exc, DonneesTransitionInvalides):
        return erreur_400({"detail": [str(exc)]}, str(exc))
    if isinstance(exc, TransitionNonAutorisee | PermissionDenied) and not isinstance(
        exc, exceptions.APIException
    ):
        exc = exceptions.PermissionDenied(str(exc) or "Action non autorisée.")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Introuvable dans votre périmètre.")
    if isinstance(exc, exceptions.ValidationError):
        return erreur_400(aplatir(exc.detail))
    reponse = exception_handler(exc, context)
    if reponse is not None and isinstance(reponse.data, dict) and "detail" in reponse.data:
        reponse.data = {"detail": str(reponse.data["detail"])}
    return reponse
