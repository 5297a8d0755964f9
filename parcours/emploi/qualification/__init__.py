"""Le moteur de qualification des sorties positives (docs/sortie.md), en trois modules :
`situation` (ce qu'on évalue et sa lecture JSON), `regles` (une règle appliquée aux contrats),
`moteur` (toutes les règles départagées, l'explication). Importer depuis
`parcours.emploi.qualification`."""

from parcours.emploi.qualification.moteur import (
    AucunReferentiel,
    Qualification,
    evaluer_sortie,
    issue_incarceration,
    regles_de_sortie,
)
from parcours.emploi.qualification.regles import Bilan, Regle, regles_evaluables
from parcours.emploi.qualification.situation import (
    ContratEvalue,
    Situation,
    SituationInvalide,
    situation_depuis_json,
)

__all__ = [
    "AucunReferentiel",
    "Bilan",
    "ContratEvalue",
    "Qualification",
    "Regle",
    "Situation",
    "SituationInvalide",
    "evaluer_sortie",
    "issue_incarceration",
    "regles_de_sortie",
    "regles_evaluables",
    "situation_depuis_json",
]
