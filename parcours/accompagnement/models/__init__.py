"""Les modèles de l'accompagnement : le parcours et sa prescription (`parcours`), l'engagement
(`engagement` : contrat, questionnaire FSE+, pièces), le suivi (`etapes`, `entretiens`,
`suspensions`, `portefeuilles` : changements de référent, intérims). Importer depuis
`parcours.accompagnement.models`."""

from parcours.accompagnement.models.engagement import (
    ContratEngagement,
    PieceEntree,
    QuestionnaireFSE,
)
from parcours.accompagnement.models.entretiens import Entretien
from parcours.accompagnement.models.etapes import Etape, JournalEtape, PreuveEtape
from parcours.accompagnement.models.parcours import (
    LIBELLES_TRANSITIONS,
    Parcours,
    ParcoursGroupObjectPermission,
    ParcoursUserObjectPermission,
    Prescription,
    StatutDeclare,
    TransitionParcours,
)
from parcours.accompagnement.models.portefeuilles import (
    ChangementReferent,
    Delegation,
    JournalDelegation,
)
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
    "PieceEntree",
    "Prescription",
    "PreuveEtape",
    "QuestionnaireFSE",
    "RenouvellementSuspension",
    "StatutDeclare",
    "Suspension",
    "TransitionParcours",
]
