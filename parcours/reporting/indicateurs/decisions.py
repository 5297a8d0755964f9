"""Décisions d'entrée : admissions, ajournements et refus de la commission, et entrées, par
territoire et par type de prescripteur (002:L270, L302 : « indicateurs d'entrée, de report et de
refus des positionnements par territoire »).

Les décisions sont lues dans le journal des transitions du parcours (`TransitionParcours`) : toute
admission, tout ajournement, tout refus y est écrit, qu'il vienne d'une séance de commission
(parcours/commissions) ou d'une reprise ; un dossier ajourné deux fois compte deux ajournements."""

from django.db.models import Count, Q

from parcours.core.enums import TypeStructure
from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres

COLONNES = ("Admissions", "Ajournements", "Refus", "Entrées")
DEFINITION = (
    "Décisions d'entrée prononcées dans la période (admission, ajournement, refus : une par "
    "décision) et parcours entrés dans la période (date d'entrée), {par}."
)
SANS = "Non renseigné"
PAR_TERRITOIRE = DEFINITION.format(par="par territoire du parcours")
PAR_PRESCRIPTEUR = DEFINITION.format(
    par="par type de la structure prescriptrice (« Non renseigné » : sans structure prescriptrice)"
)


def _decisions(filtres: Filtres, cle: str) -> dict:
    """{valeur de `cle` du parcours: (admissions, ajournements, refus)} en une requête."""
    from parcours.accompagnement.models import TransitionParcours

    p = filtres.periode
    lignes = (
        TransitionParcours.objects.filter(
            parcours__in=parcours_filtres(filtres),
            transition__in=("admettre", "ajourner", "refuser"),
            at__date__range=(p.du, p.au),
        )
        .values(f"parcours__{cle}")
        .annotate(
            admis=Count("id", filter=Q(transition="admettre")),
            ajournes=Count("id", filter=Q(transition="ajourner")),
            refuses=Count("id", filter=Q(transition="refuser")),
        )
        .values_list(f"parcours__{cle}", "admis", "ajournes", "refuses")
    )
    return {cle_: tuple(n) for cle_, *n in lignes}


def _entrees(filtres: Filtres, cle: str) -> dict:
    p = filtres.periode
    return dict(
        parcours_filtres(filtres)
        .filter(date_entree__range=(p.du, p.au))
        .values(cle)
        .annotate(n=Count("id"))
        .values_list(cle, "n")
    )


def _lignes(etiquettes, decisions, entrees):
    """Une ligne par étiquette connue, puis « Non renseigné » s'il y a quelque chose à y mettre."""
    lignes = []
    for cle, libelle in [*etiquettes, (None, SANS)]:
        valeurs = (*decisions.get(cle, (0, 0, 0)), entrees.get(cle, 0))
        if cle is not None or any(valeurs):
            lignes.append((libelle, *valeurs))
    return lignes


@indicateur(
    "decisions_par_territoire",
    "Décisions d'entrée par territoire",
    graphique="barres_empilees",
    definition=PAR_TERRITOIRE,
    themes=("entrees",),
)
def decisions_par_territoire(filtres: Filtres) -> Tableau:
    from parcours.core.models import Territoire

    territoires = Territoire.objects.filter(plie_id__in=filtres.plies)
    if filtres.territoire is not None:
        territoires = territoires.filter(pk=filtres.territoire)
    etiquettes = list(territoires.order_by("nom").values_list("pk", "nom"))
    return Tableau(
        "decisions_par_territoire",
        "Décisions d'entrée par territoire",
        ("Territoire", *COLONNES),
        _lignes(etiquettes, _decisions(filtres, "territoire"), _entrees(filtres, "territoire")),
        graphique="barres_empilees",
        definition=PAR_TERRITOIRE,
    )


@indicateur(
    "decisions_par_prescripteur",
    "Décisions d'entrée par type de prescripteur",
    graphique="barres_empilees",
    definition=PAR_PRESCRIPTEUR,
    themes=("entrees",),
)
def decisions_par_prescripteur(filtres: Filtres) -> Tableau:
    cle = "structure_prescriptrice__type"
    decisions, entrees = _decisions(filtres, cle), _entrees(filtres, cle)
    # Les types présents seulement (un prescripteur peut être un opérateur, une SIAE…).
    etiquettes = [(t.value, t.label) for t in TypeStructure if t.value in {*decisions, *entrees}]
    return Tableau(
        "decisions_par_prescripteur",
        "Décisions d'entrée par type de prescripteur",
        ("Type de prescripteur", *COLONNES),
        _lignes(etiquettes, decisions, entrees),
        graphique="barres_empilees",
        definition=PAR_PRESCRIPTEUR,
    )
