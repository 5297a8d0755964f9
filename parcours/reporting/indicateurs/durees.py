"""Durées des parcours : de la prescription à l'entrée, de l'entrée à la sortie, en médiane et en
distribution par tranches (DOMAIN §7 « parcours duration »)."""

from django.db.models import Count, Q

from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres
from parcours.reporting.indicateurs.sorties import sortis
from parcours.reporting.indicateurs.sql import Mediane, jours_entre, mois_apres

# (libellé, borne haute exclue en jours) ; None : sans borne.
TRANCHES_ATTENTE = (
    ("Moins de 15 jours", 15),
    ("15 à 29 jours", 30),
    ("30 à 59 jours", 60),
    ("60 à 89 jours", 90),
    ("90 jours et plus", None),
)
# (libellé, borne haute exclue en mois) : comparée par des dates (`entrée + n mois`).
TRANCHES_PARCOURS = (
    ("Moins de 6 mois", 6),
    ("6 à 11 mois", 12),
    ("12 à 17 mois", 18),
    ("18 à 23 mois", 24),
    ("24 à 35 mois", 36),
    ("36 mois et plus", None),
)

DEF_ATTENTE = (
    "Parcours entrés dans la période, par nombre de jours entre la prescription et l'entrée "
    "dans le PLIE."
)
DEF_PARCOURS = (
    "Parcours sortis dans la période (sortie validée), par durée entre l'entrée et la sortie, "
    "en mois révolus."
)
DEF_MEDIANES = (
    "Médiane des durées : prescription → entrée pour les parcours entrés dans la période, "
    "entrée → sortie pour les parcours sortis dans la période (en jours)."
)


def entres(filtres: Filtres):
    p = filtres.periode
    return parcours_filtres(filtres).filter(date_entree__range=(p.du, p.au))


def _tranches_jours(tranches):
    bas, filtres = 0, {}
    for i, (_, haut) in enumerate(tranches):
        q = Q(attente__gte=bas) if haut is None else Q(attente__gte=bas, attente__lt=haut)
        filtres[f"t{i}"] = Count("id", filter=q)
        bas = haut
    return filtres


@indicateur(
    "duree_prescription_entree",
    "Délai de la prescription à l'entrée",
    graphique="histogramme",
    definition=DEF_ATTENTE,
    themes=("durees",),
)
def duree_prescription_entree(filtres: Filtres) -> Tableau:
    valeurs = (
        entres(filtres)
        .annotate(attente=jours_entre("date_entree", "date_prescription"))
        .aggregate(**_tranches_jours(TRANCHES_ATTENTE))
    )
    return Tableau(
        "duree_prescription_entree",
        "Délai de la prescription à l'entrée",
        ("Délai", "Parcours"),
        [(lib, valeurs[f"t{i}"]) for i, (lib, _) in enumerate(TRANCHES_ATTENTE)],
        graphique="histogramme",
        definition=DEF_ATTENTE,
    )


@indicateur(
    "duree_entree_sortie",
    "Durée des parcours sortis",
    graphique="histogramme",
    definition=DEF_PARCOURS,
    themes=("durees",),
)
def duree_entree_sortie(filtres: Filtres) -> Tableau:
    comptes, bas = {}, 0
    for i, (_, haut) in enumerate(TRANCHES_PARCOURS):
        # sortie ≥ entrée + bas mois et sortie < entrée + haut mois.
        q = Q(date_sortie__gte=mois_apres("date_entree", bas))
        if haut is not None:
            q &= Q(date_sortie__lt=mois_apres("date_entree", haut))
        comptes[f"t{i}"] = Count("id", filter=q)
        bas = haut
    valeurs = sortis(filtres).filter(date_entree__isnull=False).aggregate(**comptes)
    return Tableau(
        "duree_entree_sortie",
        "Durée des parcours sortis",
        ("Durée", "Parcours"),
        [(lib, valeurs[f"t{i}"]) for i, (lib, _) in enumerate(TRANCHES_PARCOURS)],
        graphique="histogramme",
        definition=DEF_PARCOURS,
    )


@indicateur(
    "durees_medianes",
    "Durées médianes",
    graphique=None,
    definition=DEF_MEDIANES,
    themes=("durees",),
)
def durees_medianes(filtres: Filtres) -> Tableau:
    p = filtres.periode
    entree = Q(date_entree__range=(p.du, p.au))
    sortie = Q(statut="sorti", date_sortie__range=(p.du, p.au), date_entree__isnull=False)
    valeurs = parcours_filtres(filtres).aggregate(
        n_attente=Count("id", filter=entree),
        attente=Mediane(jours_entre("date_entree", "date_prescription"), filter=entree),
        n_parcours=Count("id", filter=sortie),
        parcours=Mediane(jours_entre("date_sortie", "date_entree"), filter=sortie),
    )

    def arrondi(x):
        return None if x is None else round(x, 1)

    return Tableau(
        "durees_medianes",
        "Durées médianes",
        ("Durée", "Parcours", "Médiane (jours)"),
        [
            ("Prescription → entrée", valeurs["n_attente"], arrondi(valeurs["attente"])),
            ("Entrée → sortie", valeurs["n_parcours"], arrondi(valeurs["parcours"])),
        ],
        graphique=None,
        definition=DEF_MEDIANES,
        unite="jours",
    )
