"""Trace des actions refusées : un utilisateur connecté reçoit 403 ou 404 sur une URL d'objet.

Une URL d'objet est une URL de l'application (`/app/`) ou de l'API (`/api/v1/`, où
l'utilisateur est le compte technique de la clé d'API : docs/api.md) dont la résolution porte
un identifiant (`pk`, `<quelque chose>_pk`, `id`, `<quelque chose>_id`) : dossier, tâche,
contrat… Les 404 des
adresses inexistantes, les fichiers statiques et les anonymes (renvoyés à la connexion) ne sont
pas tracés. Coût borné : une insertion, aucune lecture de plus (ni PLIE ni participant).
"""

from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

PREFIXES = ("/app/", "/api/v1/")
STATUTS_REFUS = {403, 404}


def identifiants(kwargs) -> list[tuple[str, object]]:
    return [
        (nom, valeur)
        for nom, valeur in kwargs.items()
        if nom in ("pk", "id") or nom.endswith(("_pk", "_id"))
    ]


class TracerRefusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in STATUTS_REFUS and request.path_info.startswith(PREFIXES):
            self.tracer_refus(request, response)
        return response

    def tracer_refus(self, request, response):
        match = getattr(request, "resolver_match", None)
        ids = identifiants(match.kwargs) if match is not None else []
        user = getattr(request, "user", None)
        if not ids or user is None or not user.is_authenticated:
            return
        # L'identifiant le plus précis est le dernier de l'URL (la tâche dans le processus…).
        tracer(
            TypeTrace.REFUS,
            request=request,
            user=user,
            objet_type=match.view_name,
            objet_id=ids[-1][1],
            detail=f"{response.status_code} {request.method} {request.get_full_path()}",
        )
