"""Activité de l'accompagnement : étapes par catégorie et par participant, entretiens par mois
(002:L446 « nombre d'étapes réalisées et nature des étapes » ; 001:L3886-3887 « nombre
d'entretien par participants »)."""

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from parcours.accompagnement.enums import CANAUX_PHYSIQUES, Presence, StatutEtape
from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres
from parcours.reporting.indicateurs.flux import mois_de_la_periode

DEF_CATEGORIES = (
    "Étapes de parcours commencées dans la période, par catégorie du catalogue du PLIE (hors "
    "étapes que le PLIE ne compte pas et étapes abandonnées) ; réalisées : terminées à ce jour ; "
    "participants : personnes distinctes."
)


def etapes(filtres: Filtres):
    """Les étapes comptées du périmètre commencées dans la période."""
    from parcours.accompagnement.models import Etape

    p = filtres.periode
    return Etape.objects.filter(
        parcours__in=parcours_filtres(filtres),
        compte=True,
        date_debut__range=(p.du, p.au),
    ).exclude(statut=StatutEtape.ABANDONNEE)


@indicateur(
    "etapes_par_categorie",
    "Étapes par catégorie",
    graphique="barres",
    definition=DEF_CATEGORIES,
    themes=("activite",),
)
def etapes_par_categorie(filtres: Filtres) -> Tableau:
    lignes = (
        etapes(filtres)
        .values("categorie")
        .annotate(
            n=Count("id"),
            realisees=Count("id", filter=Q(statut=StatutEtape.REALISEE)),
            participants=Count("parcours__participant", distinct=True),
        )
        .order_by("categorie")
        .values_list("categorie", "n", "realisees", "participants")
    )
    return Tableau(
        "etapes_par_categorie",
        "Étapes par catégorie",
        ("Catégorie", "Étapes", "Réalisées", "Participants"),
        list(lignes),
        graphique="barres",
        definition=DEF_CATEGORIES,
    )


TRANCHES_ETAPES = (
    ("Aucune", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3 à 5", 3, 5),
    ("6 et plus", 6, None),
)
DEF_PAR_PARTICIPANT = (
    "Participants suivis dans la période (entrés avant sa fin et non sortis avant son début), "
    "par nombre d'étapes comptées commencées dans la période, tous leurs parcours réunis (une "
    "ré-entrée ne fait pas un second participant)."
)


@indicateur(
    "etapes_par_participant",
    "Étapes par participant",
    graphique="histogramme",
    definition=DEF_PAR_PARTICIPANT,
    themes=("activite",),
)
def etapes_par_participant(filtres: Filtres) -> Tableau:
    p = filtres.periode
    suivis = (
        parcours_filtres(filtres)
        .filter(date_entree__lte=p.au)
        .filter(Q(date_sortie__isnull=True) | Q(date_sortie__gte=p.du))
    )
    # Les étapes comptées par personne, groupées une fois, puis réparties par tranche dans la
    # même requête (agrégat sur un agrégat : PostgreSQL l'écrit en sous-requête dans le FROM) ;
    # plus de sous-requête corrélée par participant (1,4 s à 100 000 participants).
    par_personne = (
        etapes(filtres)
        .filter(parcours__in=suivis)
        .order_by()
        .values("parcours__participant_id")
        .annotate(n=Count("id"))
    )
    comptes = {}
    for i, (_, bas, haut) in enumerate(TRANCHES_ETAPES):
        if bas == 0:
            continue
        q = Q(n__gte=bas) if haut is None else Q(n__gte=bas, n__lte=haut)
        comptes[f"t{i}"] = Count("parcours__participant_id", filter=q)
    valeurs = par_personne.aggregate(**comptes)
    personnes = suivis.order_by().aggregate(n=Count("participant_id", distinct=True))["n"]
    # Sans étape : les personnes suivies que le regroupement ne trouve pas.
    valeurs["t0"] = personnes - sum(v for v in valeurs.values() if v)
    return Tableau(
        "etapes_par_participant",
        "Étapes par participant",
        ("Étapes dans la période", "Participants"),
        [(lib, valeurs[f"t{i}"]) for i, (lib, _, _) in enumerate(TRANCHES_ETAPES)],
        graphique="histogramme",
        definition=DEF_PAR_PARTICIPANT,
    )


DEF_ENTRETIENS = (
    "Entretiens et contacts datés dans le mois : tenus (personne présente), dont physiques "
    "(individuels ou collectifs), rendez-vous manqués (absences), et participants vus."
)


@indicateur(
    "entretiens_par_mois",
    "Entretiens par mois",
    graphique="courbe",
    definition=DEF_ENTRETIENS,
    themes=("activite",),
)
def entretiens_par_mois(filtres: Filtres) -> Tableau:
    from parcours.accompagnement.models import Entretien

    p = filtres.periode
    present = Q(presence=Presence.PRESENT)
    comptes = {
        mois: valeurs
        for mois, *valeurs in Entretien.objects.filter(
            parcours__in=parcours_filtres(filtres), date__date__range=(p.du, p.au)
        )
        .annotate(mois=TruncMonth("date", output_field=DateField()))
        .values("mois")
        .annotate(
            tenus=Count("id", filter=present),
            physiques=Count("id", filter=present & Q(canal__in=CANAUX_PHYSIQUES)),
            manques=Count("id", filter=~present),
            vus=Count("parcours__participant", filter=present, distinct=True),
        )
        .values_list("mois", "tenus", "physiques", "manques", "vus")
    }
    lignes = [(f"{m:%m/%Y}", *comptes.get(m, (0, 0, 0, 0))) for m in mois_de_la_periode(p)]
    return Tableau(
        "entretiens_par_mois",
        "Entretiens par mois",
        ("Mois", "Entretiens tenus", "Dont physiques", "Rendez-vous manqués", "Participants vus"),
        lignes,
        graphique="courbe",
        definition=DEF_ENTRETIENS,
    )
