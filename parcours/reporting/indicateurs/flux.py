"""Flux : entrées et sorties dans la période (002:L270, L302)."""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from parcours.accompagnement.enums import TypeSortie
from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres


def mois_de_la_periode(periode):
    """Les premiers jours des mois de la période, dans l'ordre (un mois sans valeur vaut 0)."""
    mois, fin = periode.du.replace(day=1), periode.au
    while mois <= fin:
        yield mois
        mois = (
            mois.replace(year=mois.year + 1, month=1)
            if mois.month == 12
            else (mois.replace(month=mois.month + 1))
        )


@indicateur(
    "entrees_par_mois",
    "Entrées par mois",
    graphique="courbe",
    definition="Parcours dont la date d'entrée dans le PLIE tombe dans le mois.",
    themes=("flux",),
)
def entrees_par_mois(filtres: Filtres) -> Tableau:
    p = filtres.periode
    comptes = dict(
        parcours_filtres(filtres)
        .filter(date_entree__range=(p.du, p.au))
        .annotate(mois=TruncMonth("date_entree"))
        .values("mois")
        .annotate(n=Count("id"))
        .values_list("mois", "n")
    )
    lignes = [(f"{m:%m/%Y}", comptes.get(m, 0)) for m in mois_de_la_periode(p)]
    return Tableau(
        "entrees_par_mois",
        "Entrées par mois",
        ("Mois", "Entrées"),
        lignes,
        graphique="courbe",
        definition="Parcours dont la date d'entrée dans le PLIE tombe dans le mois.",
    )


@indicateur(
    "sorties_par_type",
    "Sorties par type",
    graphique="barres",
    definition="Parcours sortis dans la période, par type de sortie.",
    themes=("sorties",),
)
def sorties_par_type(filtres: Filtres) -> Tableau:
    p = filtres.periode
    comptes = dict(
        parcours_filtres(filtres)
        .filter(date_sortie__range=(p.du, p.au), statut="sorti")
        .values("type_sortie")
        .annotate(n=Count("id"))
        .values_list("type_sortie", "n")
    )
    lignes = [(t.label, comptes.get(t.value, 0)) for t in TypeSortie]
    return Tableau(
        "sorties_par_type",
        "Sorties par type",
        ("Type de sortie", "Sorties"),
        lignes,
        graphique="barres",
        definition="Parcours sortis dans la période, par type de sortie.",
    )
