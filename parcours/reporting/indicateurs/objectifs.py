"""Objectifs du protocole d'accord et leur progression (001:L399-403 ; 002:L447) : entrées et
sorties positives de la période face aux objectifs annuels du référentiel (section `objectifs`,
docs/referentiel.md), proratisés sur la durée de la période, et taux de sorties positives."""

from django.db.models import Count, Q

from parcours.accompagnement.enums import CategorieSortie, TypeSortie
from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres

DEFINITION = (
    "Entrées (date d'entrée) et sorties positives validées de la période, face aux objectifs "
    "annuels du protocole (référentiel du PLIE en vigueur à la fin de la période) ramenés à la "
    "durée de la période ; taux de sorties positives face au taux attendu. Seuls les PLIE qui "
    "ont fixé l'objectif sont comptés sur sa ligne ; « — » : aucun objectif fixé."
)
VIDE = (0, 0, 0)  # (entrées, sorties, sorties positives) d'un PLIE sans parcours
POSITIVES = [t.value for t in TypeSortie if t.categorie == CategorieSortie.POSITIVE]


def _atteint(realise, objectif):
    return round(100 * realise / objectif) if objectif else None


def _ligne_annuelle(libelle, cle, indice, fixes, realise, prorata):
    """Objectif annuel `cle` (somme des PLIE qui le fixent), ramené à la période, et réalisé
    (colonne `indice` de `realise`) sur ces mêmes PLIE ; sans objectif, le réalisé de tous."""
    plies = [pid for pid, o in fixes.items() if getattr(o, cle) is not None]
    fait = sum(realise.get(pid, VIDE)[indice] for pid in (plies or fixes))
    if not plies:
        return (libelle, None, None, fait, None)
    annuel = sum(getattr(fixes[pid], cle) for pid in plies)
    objectif = round(annuel * prorata)
    return (libelle, annuel, objectif, fait, _atteint(fait, objectif))


def _ligne_taux(fixes, realise):
    """Taux de sorties positives sur les PLIE qui fixent un taux attendu ; à plusieurs PLIE, le
    taux attendu est leur moyenne pondérée par leurs sorties."""
    plies = [pid for pid, o in fixes.items() if o.taux_sorties_positives is not None]
    sorties = sum(realise.get(pid, VIDE)[1] for pid in plies)
    positives = sum(realise.get(pid, VIDE)[2] for pid in plies)
    if sorties:
        pondere = sum(
            fixes[pid].taux_sorties_positives * realise.get(pid, VIDE)[1] for pid in plies
        )
        attendu = round(pondere / sorties, 1)
    else:
        attendu = fixes[plies[0]].taux_sorties_positives if len(plies) == 1 else None
    taux = round(100 * positives / sorties, 1) if sorties else None
    atteint = _atteint(taux, attendu) if taux is not None else None
    return ("Taux de sorties positives (%)", attendu, attendu, taux, atteint)


@indicateur(
    "objectifs_protocole",
    "Objectifs du protocole",
    graphique="barres",
    definition=DEFINITION,
    themes=("objectifs",),
)
def objectifs_protocole(filtres: Filtres) -> Tableau:
    from parcours.referentiel.noyau import contenus_en_vigueur
    from parcours.referentiel.sections import objectifs

    p = filtres.periode
    fixes = {
        pid: objectifs.du_contenu(contenu)
        for pid, contenu in contenus_en_vigueur(filtres.plies, p.au).items()
    }
    sortie = Q(statut="sorti", date_sortie__range=(p.du, p.au))
    realise = {
        pid: valeurs
        for pid, *valeurs in parcours_filtres(filtres)
        .values("plie_id")
        .annotate(
            entrees=Count("id", filter=Q(date_entree__range=(p.du, p.au))),
            sorties=Count("id", filter=sortie),
            positives=Count("id", filter=sortie & Q(type_sortie__in=POSITIVES)),
        )
        .values_list("plie_id", "entrees", "sorties", "positives")
    }
    prorata = ((p.au - p.du).days + 1) / 365
    lignes = [
        _ligne_annuelle("Entrées", "entrees_par_an", 0, fixes, realise, prorata),
        _ligne_annuelle(
            "Sorties positives", "sorties_positives_par_an", 2, fixes, realise, prorata
        ),
        _ligne_taux(fixes, realise),
    ]
    return Tableau(
        "objectifs_protocole",
        "Objectifs du protocole",
        ("Objectif", "Objectif annuel", "Objectif de la période", "Réalisé", "Atteint (%)"),
        lignes,
        graphique="barres",
        definition=DEFINITION,
    )
