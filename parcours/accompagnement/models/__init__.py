"""Les modèles de l'accompagnement : le parcours et son journal (`parcours`), sa prescription
(`prescription`), l'engagement (`engagement` : contrat, pièces ; `questionnaire` : questionnaire
FSE+, un par participation à une opération FSE+ : `participations`), le suivi (`etapes`,
`entretiens`, `suspensions`, `portefeuilles` : changements de référent, intérims). Importer
depuis `parcours.accompagnement.models`."""

from parcours.accompagnement.models.engagement import ContratEngagement, PieceEntree
from parcours.accompagnement.models.entretiens import Entretien
from parcours.accompagnement.models.etapes import Etape, JournalEtape, PreuveEtape
from parcours.accompagnement.models.parcours import (
    LIBELLES_TRANSITIONS,
    Parcours,
    ParcoursGroupObjectPermission,
    ParcoursUserObjectPermission,
    TransitionParcours,
)
from parcours.accompagnement.models.participations import ParticipationFse
from parcours.accompagnement.models.portefeuilles import (
    ChangementReferent,
    Delegation,
    JournalDelegation,
)
from parcours.accompagnement.models.prescription import Prescription, StatutDeclare
from parcours.accompagnement.models.questionnaire import QuestionnaireFSE
from parcours.accompagnement.models.suspensions import RenouvellementSuspension, Suspension

__all__ = [
    "LIBELLES_TRANSITIONS",
    "ChangementReferent",
    "ContratEngagement",
    "Delegation",
    "Entretien",
    "Etape",
    "JournalDelegation",
    "JournalEtape",
    "Parcours",
    "ParcoursGroupObjectPermission",
    "ParcoursUserObjectPermission",
    "ParticipationFse",
    "PieceEntree",
    "Prescription",
    "PreuveEtape",
    "QuestionnaireFSE",
    "RenouvellementSuspension",
    "StatutDeclare",
    "Suspension",
    "TransitionParcours",
]
