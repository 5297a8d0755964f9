"""Section facultative `eligibilite` : l'arbre de critères d'entrée du PLIE et son moteur
(docs/eligibilite.md).

- vocabulaire.py : types de critères, codes de statut, de frein, niveaux ;
- arbre.py : la validation de l'arbre (partagée avec la section `clauses`) ;
- personne.py : la personne évaluée, vérifiée et normalisée ;
- criteres.py : chaque critère et son explication en français ;
- moteur.py : le parcours de l'arbre, le résultat `Evaluation`, l'accesseur `de(plie, date)`.
"""

from parcours.referentiel.sections.eligibilite.arbre import valider
from parcours.referentiel.sections.eligibilite.moteur import (
    Critere,
    Eligibilite,
    Evaluation,
    de,
    du_contenu,
    evaluer,
)
from parcours.referentiel.sections.eligibilite.personne import PersonneInvalide, valider_personne

CLE = "eligibilite"
OBLIGATOIRE = False

__all__ = [
    "CLE",
    "OBLIGATOIRE",
    "Critere",
    "Eligibilite",
    "Evaluation",
    "PersonneInvalide",
    "de",
    "du_contenu",
    "evaluer",
    "valider",
    "valider_personne",
]
