"""Services des clauses, nommés d'après ce que fait l'utilisateur (docs/clauses.md).

Chaque service prend l'acteur (`par`), vérifie ses droits par `par.has_perm(...)` (la politique
d'accès répond) et ne change rien quand il refuse (`TransitionNonAutorisee`,
`DonneesTransitionInvalides`, `TransitionInterdite` : messages en français). Qui doit agir ensuite
(tâches) relève de `workflows/clauses/flows.py`.

Un module par sujet : `besoins`, `candidatures` (proposer, puis les étapes du facilitateur),
`eligibilite`, `embauche` (l'inscription au parcours), `nouvelles` (le courriel au proposant).
"""

from parcours.clauses.services.besoins import (
    clore_besoin,
    destinataires_opportunites,
    diffuser_besoin,
    enregistrer_besoin,
)
from parcours.clauses.services.candidatures import (
    enregistrer_candidat_externe,
    enregistrer_decision_entreprise,
    enregistrer_embauche,
    positionner,
    proposer_candidature,
    verifier_eligibilite,
)
from parcours.clauses.services.eligibilite import evaluer_eligibilite_clause, personne_pour_clause
from parcours.clauses.services.embauche import (
    inscrire_embauche_au_parcours,
    parcours_du_positionnement,
)
from parcours.clauses.services.nouvelles import NOUVELLES, informer_proposant

__all__ = [
    "NOUVELLES",
    "clore_besoin",
    "destinataires_opportunites",
    "diffuser_besoin",
    "enregistrer_besoin",
    "enregistrer_candidat_externe",
    "enregistrer_decision_entreprise",
    "enregistrer_embauche",
    "evaluer_eligibilite_clause",
    "informer_proposant",
    "inscrire_embauche_au_parcours",
    "parcours_du_positionnement",
    "personne_pour_clause",
    "positionner",
    "proposer_candidature",
    "verifier_eligibilite",
]
