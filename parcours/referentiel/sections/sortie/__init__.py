"""Section facultative `sortie` : les règles de sortie positive du PLIE (docs/sortie.md).

- vocabulaire.py : types de contrat et catégories de sortie cités par les règles ;
- validation.py : la section et chaque règle (contrats comptés, décision) ;
- mesures.py : ce qu'une règle mesure, vérification et calcul ensemble (une classe par mesure) ;
- calcul.py : ce que les mesures partagent (périodes, cumuls, explications) ;
- regles.py : l'accesseur typé, `de(plie, date) -> Sortie` (règles `RegleSortie`).
"""

from parcours.referentiel.sections.sortie.regles import (
    Incarceration,
    RegleSortie,
    Sortie,
    de,
    du_contenu,
    lire,
)
from parcours.referentiel.sections.sortie.validation import valider

CLE = "sortie"
OBLIGATOIRE = False

__all__ = [
    "CLE",
    "OBLIGATOIRE",
    "Incarceration",
    "RegleSortie",
    "Sortie",
    "de",
    "du_contenu",
    "lire",
    "valider",
]
