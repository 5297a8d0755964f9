"""Les indicateurs du pilotage (issue 13, docs/indicateurs.md) : chacun défini une fois, en
agrégation SQL, lu par les tableaux de bord, leurs exports et les bilans.

    from parcours.reporting.indicateurs import INDICATEURS, Filtres, calculer
    calculer("entrees_par_mois", Filtres(plies=frozenset({1}), periode=periode(du, au)))
"""

from parcours.reporting.indicateurs import flux  # noqa: F401 — enregistre ses indicateurs
from parcours.reporting.indicateurs.base import (
    INDICATEURS,
    Filtres,
    Indicateur,
    Tableau,
    indicateur,
    parcours_filtres,
)

__all__ = [
    "INDICATEURS",
    "Filtres",
    "Indicateur",
    "Tableau",
    "calculer",
    "indicateur",
    "parcours_filtres",
]


def calculer(code: str, filtres: Filtres) -> Tableau:
    return INDICATEURS[code].calculer(filtres)
