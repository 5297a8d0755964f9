"""Les contrats des embauches sur clauses : par type de contrat (période, ou mois de l'année),
et l'emploi des participants 6 et 12 mois après l'embauche (002:L634)."""

import datetime

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.exports import taux
from parcours.clauses.models import Positionnement
from parcours.clauses.rapports.periode import SANS_BORNE, Periode, periode_en_jours
from parcours.emploi.enums import TypeContrat
from parcours.emploi.models import Contrat


def types_de_contrat(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Embauches sur les besoins des marchés, par type de contrat (date d'embauche dans la
    période). Une requête."""
    libelles = dict(TypeContrat.choices)
    lignes = (
        Positionnement.objects.filter(
            besoin__marche__in=marches.values("pk"), statut=StatutPositionnement.EMBAUCHEE
        )
        .filter(periode_en_jours(periode, "date_embauche"))
        .values("type_contrat")
        .annotate(embauches=Count("pk"))
        .order_by("type_contrat")
    )
    return [
        {
            "type": ligne["type_contrat"],
            "libelle": libelles.get(ligne["type_contrat"], "Non précisé"),
            "embauches": ligne["embauches"],
        }
        for ligne in lignes
    ]


def contrats_par_mois(positionnements, annee: int) -> list[dict]:
    """Embauches de l'année par type de contrat (tableau de bord). Une requête."""
    libelles = dict(TypeContrat.choices)
    lignes = (
        positionnements.filter(statut=StatutPositionnement.EMBAUCHEE, date_embauche__year=annee)
        .values("type_contrat")
        .annotate(embauches=Count("pk"))
        .order_by("type_contrat")
    )
    return [
        {
            "libelle": libelles.get(ligne["type_contrat"], "Non précisé"),
            "embauches": ligne["embauches"],
        }
        for ligne in lignes
    ]


JALONS = (6, 12)


def _plus_mois(champ: str, mois: int):
    """La date `champ` + `mois` mois, en date (PostgreSQL : le 31/08 + 6 mois = le 28/02)."""
    return Cast(
        ExpressionWrapper(
            F(champ) + Func(Value(0), Value(mois), function="make_interval"),
            output_field=DateTimeField(),
        ),
        output_field=DateField(),
    )


def emploi_apres_embauche(
    marches, periode: Periode = SANS_BORNE, aujourdhui: datetime.date | None = None
) -> list[dict]:
    """Pour les participants embauchés sur les marchés (date d'embauche dans la période), par
    jalon (6, 12 mois) : personnes embauchées, mesurables (une embauche vieille d'au moins le
    jalon), en emploi au jalon (un de leurs contrats `emploi.Contrat`, tout employeur, en cours
    à la date d'embauche + le jalon) et non mesurables encore. Personnes distinctes : une
    personne embauchée deux fois compte si l'une de ses embauches la fait compter. Les candidats
    externes n'ont pas de contrat enregistré : hors de ce décompte. Une requête."""
    aujourdhui = aujourdhui or timezone.localdate()
    embauches = Positionnement.objects.filter(
        besoin__marche__in=marches.values("pk"),
        statut=StatutPositionnement.EMBAUCHEE,
        participant__isnull=False,
        date_embauche__isnull=False,
    ).filter(periode_en_jours(periode, "date_embauche"))
    agregats = {"embauches": Count("participant", distinct=True)}
    for jalon in JALONS:
        date_jalon = f"jalon_{jalon}"
        en_cours = Contrat.objects.filter(
            parcours__participant_id=OuterRef("participant_id"),
            debut__lte=OuterRef(date_jalon),
        ).filter(Q(fin__isnull=True) | Q(fin__gte=OuterRef(date_jalon)))
        embauches = embauches.annotate(
            **{
                date_jalon: _plus_mois("date_embauche", jalon),
                f"contrat_{jalon}": Exists(en_cours),
            }
        )
        mesurable = Q(**{f"{date_jalon}__lte": aujourdhui})
        agregats[f"mesurables_{jalon}"] = Count("participant", filter=mesurable, distinct=True)
        agregats[f"en_emploi_{jalon}"] = Count(
            "participant", filter=mesurable & Q(**{f"contrat_{jalon}": True}), distinct=True
        )
    resultat = embauches.aggregate(**agregats)
    return [
        {
            "jalon": jalon,
            "libelle": f"En emploi à {jalon} mois",
            "embauches": resultat["embauches"],
            "mesurables": resultat[f"mesurables_{jalon}"],
            "en_emploi": resultat[f"en_emploi_{jalon}"],
            "taux": taux(resultat[f"en_emploi_{jalon}"], resultat[f"mesurables_{jalon}"]),
            "non_mesurables": resultat["embauches"] - resultat[f"mesurables_{jalon}"],
        }
        for jalon in JALONS
    ]
