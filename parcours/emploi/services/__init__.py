"""Les services de l'emploi (docs/emploi.md) : les contrats (`contrats` : enregistrer, modifier,
terminer ; le signal `contrats_modifies`) et ce que le moteur de sortie en conclut
(`qualification`). Les appelants écrivent `from parcours.emploi import services`."""

from parcours.emploi.services.contrats import (
    CHAMPS,
    STATUTS_CONTRAT,
    ContratInvalide,
    ContratNonAutorise,
    contrats_modifies,
    enregistrer_contrat,
    modifier_contrat,
    terminer_contrat,
)
from parcours.emploi.services.qualification import (
    age_a,
    contrat_evalue,
    libelle_categorie,
    qualification_du_parcours,
    qualifications_par_lot,
    situation_du_parcours,
)

__all__ = [
    "CHAMPS",
    "STATUTS_CONTRAT",
    "ContratInvalide",
    "ContratNonAutorise",
    "age_a",
    "contrat_evalue",
    "contrats_modifies",
    "enregistrer_contrat",
    "libelle_categorie",
    "modifier_contrat",
    "qualification_du_parcours",
    "qualifications_par_lot",
    "situation_du_parcours",
    "terminer_contrat",
]
