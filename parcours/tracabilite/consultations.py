"""Les consultations des données d'une personne : qui a ouvert sa fiche, le dossier de son
parcours, ses pages de suivi, téléchargé ses documents ou exporté ses données (docs/rgpd.md).

Chaque page qui montre les données personnelles d'une seule personne appelle
`tracer_consultation` après le contrôle d'accès (un 404 n'est pas une consultation). Le dossier
montre les dernières à son référent et au pilotage du PLIE : `consultations_du_participant`.
"""

from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from parcours.tracabilite.services import tracer

# Ce que montre le bloc « Qui a consulté ce dossier » : des accès aux données d'une personne.
TYPES_CONSULTATION = (TypeTrace.CONSULTATION, TypeTrace.TELECHARGEMENT, TypeTrace.DROIT_ACCES)
DERNIERES_CONSULTATIONS = 20


def tracer_consultation(
    request, *, plie_id, participant_id, objet_type: str, objet_id, detail: str
) -> Trace | None:
    """Trace l'affichage d'une page (GET) ; un formulaire renvoyé (POST) a déjà été tracé à son
    ouverture, et son enregistrement laisse sa propre trace dans le domaine."""
    if request.method != "GET":
        return None
    return tracer(
        TypeTrace.CONSULTATION,
        request=request,
        plie=plie_id,
        participant_id=participant_id,
        objet_type=objet_type,
        objet_id=objet_id,
        detail=detail,
    )


def consultations_du_participant(participant_id: int, plie_id: int, n=DERNIERES_CONSULTATIONS):
    """Les `n` derniers accès aux données de la personne dans ce PLIE (une requête). Ceux d'un
    autre PLIE n'y figurent pas : ils ne regardent pas ce PLIE."""
    return list(
        Trace.objects.filter(
            participant_id=participant_id, plie_id=plie_id, type__in=TYPES_CONSULTATION
        )
        .select_related("user")
        .order_by("-at", "-id")[:n]
    )
