"""Services des relations entreprises : nommés d'après ce que fait l'utilisateur, un module par
objet (`entreprises`, `offres`, `mises_en_relation`, `evenements`) et leurs contrôles communs
(`controles`). Les appelants écrivent `from parcours.entreprises import services`.

Chaque service vérifie les droits par la politique d'accès (`par.has_perm(...)`,
parcours/acces/backend.py), valide les données (messages en français, `ValidationError` par champ)
et n'enregistre rien en cas d'erreur."""

from parcours.entreprises.services.entreprises import (
    creer_entreprise,
    modifier_entreprise,
    noter_contact,
)
from parcours.entreprises.services.evenements import creer_evenement, deposer_emargement, emarger
from parcours.entreprises.services.mises_en_relation import (
    RANG_CANDIDAT,
    STATUTS_CANDIDAT,
    candidats_a_proposer,
    embaucher,
    ne_pas_retenir_candidat,
    planifier_entretien,
    proposer_candidat,
    retenir_candidat,
)
from parcours.entreprises.services.offres import (
    CHAMPS_OFFRE,
    cloturer_offre,
    collecter_offre,
    diffuser_offre,
    modifier_offre,
    pourvoir_offre,
    qualifier_offre,
)

__all__ = [
    "CHAMPS_OFFRE",
    "RANG_CANDIDAT",
    "STATUTS_CANDIDAT",
    "candidats_a_proposer",
    "cloturer_offre",
    "collecter_offre",
    "creer_entreprise",
    "creer_evenement",
    "deposer_emargement",
    "diffuser_offre",
    "emarger",
    "embaucher",
    "modifier_entreprise",
    "modifier_offre",
    "ne_pas_retenir_candidat",
    "noter_contact",
    "planifier_entretien",
    "pourvoir_offre",
    "proposer_candidat",
    "qualifier_offre",
    "retenir_candidat",
]
