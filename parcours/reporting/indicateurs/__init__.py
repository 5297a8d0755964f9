"""Les indicateurs du pilotage (issue 13, docs/indicateurs.md) : chacun défini une fois, en
agrégation SQL, lu par les tableaux de bord, leurs exports et les bilans.

    from parcours.reporting.indicateurs import INDICATEURS, Filtres, calculer
    calculer("entrees_par_mois", Filtres(plies=frozenset({1}), periode=periode(du, au)))
"""

from parcours.reporting.indicateurs import (  # noqa: F401 — enregistrent leurs indicateurs
    activite,
    decisions,
    durees,
    file_active,
    flux,
    objectifs,
    publics,
    sorties,
)
from parcours.reporting.indicateurs.base import (
    INDICATEURS,
    Filtres,
    Indicateur,
    Tableau,
    indicateur,
    parcours_filtres,
)

# L'ordre du registre (celui des tableaux de bord et des bilans) : par thème, pas par module.
_THEMES = (
    "flux",
    "entrees",
    "sorties",
    "durees",
    "publics",
    "activite",
    "portefeuille",
    "objectifs",
)
for _code in sorted(
    INDICATEURS,
    key=lambda c: next(
        (i for i, t in enumerate(_THEMES) if t in INDICATEURS[c].themes), len(_THEMES)
    ),
):
    INDICATEURS[_code] = INDICATEURS.pop(_code)

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
