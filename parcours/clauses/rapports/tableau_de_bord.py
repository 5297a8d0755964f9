"""Le tableau de bord mensuel du facilitateur (002:L624) : candidats, positionnements, mises en
relation, entretiens, embauches, confirmations après la période d'essai, mois par mois."""

import datetime

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import HeuresRealisees, TransitionPositionnement

COMPTEURS = (
    ("candidats", "Candidats reçus", False),
    ("candidatures", "Positionnements sur besoins", False),
    ("mises_en_relation", "Mises en relation (présentés à l'entreprise)", False),
    ("entretiens", "Entretiens (décisions de l'entreprise)", True),
    ("embauches", "Embauches", False),
    ("confirmations", "Confirmées après la période d'essai", True),
)


def tableau_de_bord(positionnements, annee: int, aujourdhui=None) -> list[dict]:
    """Douze mois de l'année, un compteur par colonne (COMPTEURS ; le booléen signale une
    approximation, docs/heures.md). `positionnements` : les candidatures visibles du périmètre.
    `aujourdhui` (par défaut la date du jour) : une période d'essai finie avant cette date est
    passée. Cinq requêtes groupées par mois."""
    debut, fin = datetime.date(annee, 1, 1), datetime.date(annee + 1, 1, 1)
    mois = [datetime.date(annee, m, 1) for m in range(1, 13)]
    table = {m: dict.fromkeys((c for c, _, _ in COMPTEURS), 0) for m in mois}

    def ranger(lignes, compteur):
        for ligne in lignes:
            cle = ligne["mois"]
            cle = cle.date() if isinstance(cle, datetime.datetime) else cle
            table[cle][compteur] = ligne["n"]

    recus = (
        positionnements.filter(created_at__date__gte=debut, created_at__date__lt=fin)
        .annotate(mois=TruncMonth("created_at"))
        .values("mois")
        .annotate(
            n=Count("pk"),
            participants=Count("participant", distinct=True),
            externes=Count("candidat_externe", distinct=True),
        )
        .order_by()
    )
    for ligne in recus:
        cle = ligne["mois"].date()
        table[cle]["candidatures"] = ligne["n"]
        table[cle]["candidats"] = ligne["participants"] + ligne["externes"]

    transitions = TransitionPositionnement.objects.filter(
        positionnement__in=positionnements.values("pk"), at__date__gte=debut, at__date__lt=fin
    ).annotate(mois=TruncMonth("at"))
    ranger(
        transitions.filter(target=StatutPositionnement.POSITIONNEE)
        .values("mois")
        .annotate(n=Count("positionnement", distinct=True))
        .order_by(),
        "mises_en_relation",
    )
    ranger(
        transitions.filter(
            target__in=[StatutPositionnement.RETENUE, StatutPositionnement.NON_RETENUE]
        )
        .values("mois")
        .annotate(n=Count("positionnement", distinct=True))
        .order_by(),
        "entretiens",
    )
    embauches = positionnements.filter(
        statut=StatutPositionnement.EMBAUCHEE, date_embauche__gte=debut, date_embauche__lt=fin
    ).annotate(mois=TruncMonth("date_embauche"))
    ranger(embauches.values("mois").annotate(n=Count("pk")).order_by(), "embauches")
    # Participant : le contrat inscrit au parcours (`Positionnement.contrat`) fait foi —
    # confirmée quand sa période d'essai est finie (avant aujourd'hui) et que le contrat a duré
    # au-delà. Candidat externe (aucun contrat enregistré) : approximation, des heures sont
    # déclarées sur le marché deux mois ou plus après le mois d'embauche.
    aujourdhui = aujourdhui or timezone.localdate()
    deux_mois_apres = ExpressionWrapper(
        F("mois") + Func(Value(0), Value(2), function="make_interval"),
        output_field=DateTimeField(),
    )
    heures_apres_essai = HeuresRealisees.objects.filter(
        candidat_externe_id=OuterRef("candidat_externe_id"),
        marche_id=OuterRef("besoin__marche_id"),
        mois__gte=OuterRef("fin_essai"),
    )
    contrat_confirme = Q(
        contrat__isnull=False,
        contrat__fin_periode_essai__lt=aujourdhui,
    ) & (Q(contrat__fin__isnull=True) | Q(contrat__fin__gt=F("contrat__fin_periode_essai")))
    externe_confirme = Q(candidat_externe__isnull=False) & Exists(heures_apres_essai)
    ranger(
        embauches.annotate(fin_essai=deux_mois_apres)
        .filter(contrat_confirme | externe_confirme)
        .values("mois")
        .annotate(n=Count("pk"))
        .order_by(),
        "confirmations",
    )
    return [{"mois": m, **table[m]} for m in mois]
