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
POSITIVES = [t.value for t in TypeSortie if t.categorie == CategorieSortie.POSITIVE]


def _atteint(realise, objectif):
    return round(100 * realise / objectif) if objectif else None


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

    def ligne(libelle, cle, indice):
        plies = [pid for pid, o in fixes.items() if getattr(o, cle) is not None]
        if not plies:
            return (
                libelle,
                None,
                None,
                sum(realise.get(pid, (0, 0, 0))[indice] for pid in fixes),
                None,
            )
        annuel = sum(getattr(fixes[pid], cle) for pid in plies)
        fait = sum(realise.get(pid, (0, 0, 0))[indice] for pid in plies)
        objectif = round(annuel * prorata)
        return (libelle, annuel, objectif, fait, _atteint(fait, objectif))

    # Le taux : sorties positives / sorties, sur les PLIE qui fixent un taux attendu.
    plies_taux = [pid for pid, o in fixes.items() if o.taux_sorties_positives is not None]
    sorties = sum(realise.get(pid, (0, 0, 0))[1] for pid in plies_taux)
    positives = sum(realise.get(pid, (0, 0, 0))[2] for pid in plies_taux)
    taux = round(100 * positives / sorties, 1) if sorties else None
    attendu = (
        # Plusieurs PLIE : le taux attendu moyen, pondéré par leurs sorties.
        round(
            sum(
                fixes[pid].taux_sorties_positives * realise.get(pid, (0, 0, 0))[1]
                for pid in plies_taux
            )
            / sorties,
            1,
        )
        if sorties
        else (fixes[plies_taux[0]].taux_sorties_positives if len(plies_taux) == 1 else None)
    )
    lignes = [
        ligne("Entrées", "entrees_par_an", 0),
        ligne("Sorties positives", "sorties_positives_par_an", 2),
        (
            "Taux de sorties positives (%)",
            attendu,
            attendu,
            taux,
            _atteint(taux, attendu) if taux is not None else None,
        ),
    ]
    return Tableau(
        "objectifs_protocole",
        "Objectifs du protocole",
        ("Objectif", "Objectif annuel", "Objectif de la période", "Réalisé", "Atteint (%)"),
        lignes,
        graphique="barres",
        definition=DEFINITION,
    )
