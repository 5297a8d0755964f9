"""Sorties : par catégorie avec le taux de sorties positives, par catégorie des règles de sortie
du PLIE, situation à la sortie (FSE+) et à 6 et 12 mois (002:L447 ; 001:L3888-3889 ;
000:L478-479).

Une sortie est un parcours sorti (sortie validée) dont la date de sortie tombe dans la période :
une sortie proposée et pas encore validée n'en est pas une."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from parcours.accompagnement.enums import CategorieSortie, TypeSortie
from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres
from parcours.reporting.indicateurs.sql import mois_apres


def sortis(filtres: Filtres):
    """Les parcours du périmètre sortis (sortie validée) dans la période."""
    p = filtres.periode
    return parcours_filtres(filtres).filter(statut="sorti", date_sortie__range=(p.du, p.au))


def _part(n: int, total: int) -> float | None:
    return round(100 * n / total, 1) if total else None


DEF_CATEGORIES = (
    "Sorties validées dans la période par catégorie de leur type (positive : emploi durable, "
    "formation qualifiante, création d'entreprise ; autre : sorties administratives ; négative : "
    "abandon, non-respect du contrat). La part de la ligne « Sortie positive » est le taux de "
    "sorties positives."
)


@indicateur(
    "sorties_par_categorie",
    "Sorties par catégorie et taux de sorties positives",
    graphique="barres",
    definition=DEF_CATEGORIES,
    themes=("sorties",),
)
def sorties_par_categorie(filtres: Filtres) -> Tableau:
    par_type = dict(
        sortis(filtres)
        .values("type_sortie")
        .annotate(n=Count("id"))
        .values_list("type_sortie", "n")
    )
    par_categorie = dict.fromkeys(CategorieSortie, 0)
    for type_sortie, n in par_type.items():
        if type_sortie in TypeSortie.values:
            par_categorie[TypeSortie(type_sortie).categorie] += n
    total = sum(par_type.values())
    lignes = [(c.label, n, _part(n, total)) for c, n in par_categorie.items()]
    lignes.append(("Toutes les sorties", total, 100.0 if total else None))
    return Tableau(
        "sorties_par_categorie",
        "Sorties par catégorie et taux de sorties positives",
        ("Catégorie", "Sorties", "Part (%)"),
        lignes,
        graphique="barres",
        definition=DEF_CATEGORIES,
        unite="%",
    )


DEF_REGLES = (
    "Sorties positives validées dans la période, par catégorie de la règle de sortie du "
    "référentiel du PLIE atteinte à la proposition (emploi durable, sortie dynamique…) ; "
    "« Sans règle atteinte » : sortie positive validée par la commission sans qu'une règle soit "
    "atteinte (ou proposée avant le calcul des règles)."
)
SANS_REGLE = "Sans règle atteinte"


@indicateur(
    "sorties_par_regle",
    "Sorties positives par catégorie des règles du PLIE",
    graphique="barres",
    definition=DEF_REGLES,
    themes=("sorties",),
)
def sorties_par_regle(filtres: Filtres) -> Tableau:
    from parcours.emploi.models import PropositionSortie
    from parcours.referentiel.noyau import contenus_en_vigueur
    from parcours.referentiel.sections import sortie
    from parcours.referentiel.sections.sortie.vocabulaire import CategorieQualification

    # Les catégories que les règles en vigueur des PLIE citent, dans l'ordre du vocabulaire.
    citees = {
        regle.categorie
        for contenu in contenus_en_vigueur(filtres.plies, filtres.periode.au).values()
        for regle in sortie.du_contenu(contenu).regles
    }
    categorie = Subquery(
        PropositionSortie.objects.filter(
            parcours_id=OuterRef("pk"), statut="validee", qualification__qualifie=True
        )
        .order_by("-decidee_le", "-pk")
        .annotate(c=KeyTextTransform("categorie", "qualification"))
        .values("c")[:1]
    )
    positifs = [t.value for t in TypeSortie if t.categorie == CategorieSortie.POSITIVE]
    comptes = dict(
        sortis(filtres)
        .filter(type_sortie__in=positifs)
        .annotate(categorie=categorie)
        .values("categorie")
        .annotate(n=Count("id"))
        .values_list("categorie", "n")
    )
    lignes = [
        (c.label, comptes.pop(c.value, 0))
        for c in CategorieQualification
        if c.value in citees or c.value in comptes
    ]
    lignes.append((SANS_REGLE, sum(comptes.values())))
    return Tableau(
        "sorties_par_regle",
        "Sorties positives par catégorie des règles du PLIE",
        ("Catégorie de la règle", "Sorties positives"),
        lignes,
        graphique="barres",
        definition=DEF_REGLES,
    )


DEF_SITUATION = (
    "Situation déclarée à la sortie (données FSE+ de sortie) des sorties validées dans la "
    "période, et parmi elles celles qui ont obtenu une qualification (diplôme, titre, "
    "certificat) ; « Non saisie » : données de sortie pas encore renseignées."
)


@indicateur(
    "situation_a_la_sortie",
    "Situation à la sortie (FSE+)",
    graphique="barres",
    definition=DEF_SITUATION,
    themes=("sorties",),
)
def situation_a_la_sortie(filtres: Filtres) -> Tableau:
    from parcours.emploi.models import SituationSortie

    cle = "donnees_sortie_fse__situation"
    comptes = {
        situation: (n, qualifies)
        for situation, n, qualifies in sortis(filtres)
        .values(cle)
        .annotate(
            n=Count("id"),
            qualifies=Count("id", filter=Q(donnees_sortie_fse__qualification_obtenue=True)),
        )
        .values_list(cle, "n", "qualifies")
    }
    lignes = [(s.label, *comptes.get(s.value, (0, 0))) for s in SituationSortie]
    lignes.append(("Non saisie", *comptes.get(None, (0, 0))))
    return Tableau(
        "situation_a_la_sortie",
        "Situation à la sortie (FSE+)",
        ("Situation", "Sorties", "Dont qualification obtenue"),
        lignes,
        graphique="barres",
        definition=DEF_SITUATION,
    )


HORIZONS = ((0, "À la sortie"), (6, "6 mois après la sortie"), (12, "12 mois après la sortie"))
DEF_APRES = (
    "Sorties validées dans la période ayant un contrat (emploi, formation qualifiante, création "
    "d'entreprise) en cours à la date de sortie, 6 mois et 12 mois après ; à 6 et 12 mois, seules "
    "les sorties dont l'échéance est passée sont observables. Aucun suivi post-sortie n'est "
    "saisi : seuls les contrats enregistrés au dossier sont comptés."
)


@indicateur(
    "emploi_apres_sortie",
    "En contrat à la sortie, à 6 et à 12 mois",
    graphique="barres",
    definition=DEF_APRES,
    themes=("sorties",),
)
def emploi_apres_sortie(filtres: Filtres) -> Tableau:
    from parcours.emploi.models import Contrat

    aujourdhui = timezone.localdate()
    comptes = {}
    for mois, _ in HORIZONS:
        date = mois_apres(OuterRef("date_sortie"), mois)
        en_contrat = Exists(
            Contrat.objects.filter(parcours_id=OuterRef("pk"), debut__lte=date).filter(
                Q(fin__isnull=True) | Q(fin__gte=date)
            )
        )
        observable = Q(date_sortie__lte=_recul(aujourdhui, mois))
        comptes[f"obs{mois}"] = Count("id", filter=observable)
        comptes[f"emp{mois}"] = Count("id", filter=observable & Q(en_contrat))
    valeurs = sortis(filtres).aggregate(**comptes)
    lignes = []
    for mois, libelle in HORIZONS:
        obs, emp = valeurs[f"obs{mois}"], valeurs[f"emp{mois}"]
        lignes.append((libelle, obs, emp, _part(emp, obs)))
    return Tableau(
        "emploi_apres_sortie",
        "En contrat à la sortie, à 6 et à 12 mois",
        ("Échéance", "Sorties observables", "En contrat", "Part (%)"),
        lignes,
        graphique="barres",
        definition=DEF_APRES,
        unite="%",
    )


def _recul(date, mois: int):
    """`date` moins `mois` mois (jour ramené à la fin du mois si besoin), en Python."""
    import calendar

    annee, m = divmod(date.year * 12 + date.month - 1 - mois, 12)
    jour = min(date.day, calendar.monthrange(annee, m + 1)[1])
    return date.replace(year=annee, month=m + 1, day=jour)
