"""Les conditions des alertes, une requête chacune sur un queryset de parcours (annotations et
`Exists`) : chacune rend les `Constat` des parcours où elle tient `aujourdhui`.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.db.models.lookups import LessThanOrEqual

from parcours.accompagnement.enums import (
    CANAUX_PHYSIQUES,
    STATUTS_ETAPE_A_JUSTIFIER,
    Presence,
    StatutEtape,
)
from parcours.accompagnement.models import (
    Entretien,
    Etape,
    QuestionnaireFSE,
)
from parcours.accompagnement.models.questionnaire import SituationMarcheTravail
from parcours.dossier.alertes.dates import (
    PlusMois,
    echeance_suspendue,
)
from parcours.dossier.alertes.definitions import (
    DELAI_REVUE_PARCOURS,
    STATUTS_ALERTE,
    Constat,
    TypeAlerte,
)
from parcours.emploi.models import DonneesSortieFSE


def _d(jour: datetime.date) -> str:
    return f"{jour:%d/%m/%Y}"


def _court(jour: datetime.date, aujourdhui: datetime.date) -> str:
    """« 12/10 » dans l'année en cours, « 12/10/2025 » sinon (titres des tâches)."""
    return f"{jour:%d/%m}" if jour.year == aujourdhui.year else _d(jour)


def _tous_les(mois: int) -> str:
    return "chaque mois" if mois == 1 else f"tous les {mois} mois"


def _suspension(jours: int) -> str:
    return f" ({jours} jours de suspension décomptés)" if jours else ""


def _base(parcours, type_alerte):
    return parcours.filter(statut__in=STATUTS_ALERTE[type_alerte])


# — Les conditions, une requête chacune —


def _entretien_mensuel(parcours, delais, aujourdhui):
    entretiens = Entretien.objects.filter(
        parcours_id=OuterRef("pk"),
        canal__in=CANAUX_PHYSIQUES,
        presence=Presence.PRESENT,
        date__date__lte=aujourdhui,
    ).annotate(jour=TruncDate("date"))
    etape_emploi_formation = Etape.objects.filter(
        parcours_id=OuterRef("pk"),
        emploi_ou_formation=True,
        statut__in=STATUTS_ETAPE_A_JUSTIFIER,
        date_debut__lte=aujourdhui,
    ).filter(Q(date_fin__isnull=True) | Q(date_fin__gte=aujourdhui))
    qs = (
        _base(parcours, TypeAlerte.ENTRETIEN_MENSUEL)
        .filter(date_entree__isnull=False)
        .exclude(Exists(etape_emploi_formation))
        .annotate(dernier=Subquery(entretiens.order_by("-date").values("jour")[:1]))
        .annotate(reference=Greatest("date_entree", "dernier"))
    )
    qs = echeance_suspendue(qs, delais, "entretien_physique_mois", aujourdhui)
    for row in qs.filter(limite__lte=aujourdhui).values(
        "pk", "plie_id", "dernier", "date_entree", "limite", "suspendus"
    ):
        depuis = (
            f"dernier entretien physique le {_d(row['dernier'])}"
            if row["dernier"]
            else f"aucun entretien physique depuis l'entrée le {_d(row['date_entree'])}"
        )
        mois = delais[row["plie_id"]].entretien_physique_mois
        yield Constat(
            row["pk"],
            TypeAlerte.ENTRETIEN_MENSUEL,
            row["limite"].isoformat(),
            row["limite"],
            f"Entretien physique dû le {_d(row['limite'])} : {depuis} (un entretien physique "
            f"{_tous_les(mois)}, hors étape emploi ou formation){_suspension(row['suspendus'])}.",
            titre="Entretien mensuel dû — "
            + (
                f"dernier le {_court(row['dernier'], aujourdhui)}"
                if row["dernier"]
                else f"aucun depuis l'entrée le {_court(row['date_entree'], aujourdhui)}"
            ),
        )


def _sans_contact(parcours, delais, aujourdhui):
    contacts = Entretien.objects.filter(
        parcours_id=OuterRef("pk"), presence=Presence.PRESENT, date__date__lte=aujourdhui
    ).annotate(jour=TruncDate("date"))
    qs = (
        _base(parcours, TypeAlerte.SANS_CONTACT)
        .filter(date_entree__isnull=False)
        .annotate(dernier=Subquery(contacts.order_by("-date").values("jour")[:1]))
        .annotate(reference=Greatest("date_entree", "dernier"))
    )
    qs = echeance_suspendue(qs, delais, "sans_contact_mois", aujourdhui)
    for row in qs.filter(limite__lte=aujourdhui).values(
        "pk", "plie_id", "dernier", "date_entree", "limite", "suspendus"
    ):
        mois = delais[row["plie_id"]].sans_contact_mois
        depuis = (
            f"dernier contact le {_d(row['dernier'])}"
            if row["dernier"]
            else f"aucun contact enregistré depuis l'entrée le {_d(row['date_entree'])}"
        )
        yield Constat(
            row["pk"],
            TypeAlerte.SANS_CONTACT,
            row["limite"].isoformat(),
            row["limite"],
            f"Aucun contact depuis {mois} mois : {depuis}{_suspension(row['suspendus'])}. "
            "Relancer la personne (courrier, appel).",
            titre=f"Sans contact depuis {mois} mois — "
            + (
                f"dernier le {_court(row['dernier'], aujourdhui)}"
                if row["dernier"]
                else f"aucun depuis l'entrée le {_court(row['date_entree'], aujourdhui)}"
            ),
        )


def _sans_etape(parcours, delais, aujourdhui):
    # La dernière activité d'une étape comptée : sa fin, ou aujourd'hui pour une étape en cours
    # sans fin connue, ou son début (une étape prévue à venir repousse donc l'alerte).
    activite = Coalesce(
        "date_fin",
        Case(
            When(statut=StatutEtape.EN_COURS, then=Value(aujourdhui)),
            default=F("date_debut"),
            output_field=DateField(),
        ),
    )
    etapes = (
        Etape.objects.filter(parcours_id=OuterRef("pk"), compte=True)
        .exclude(statut=StatutEtape.ABANDONNEE)
        .values("parcours_id")
        .annotate(derniere=Max(activite))
        .values("derniere")
    )
    qs = (
        _base(parcours, TypeAlerte.SANS_ETAPE)
        .filter(date_entree__isnull=False)
        .annotate(derniere=Subquery(etapes, output_field=DateField()))
        .annotate(reference=Greatest("date_entree", "derniere"))
    )
    qs = echeance_suspendue(qs, delais, "sans_etape_mois", aujourdhui)
    for row in qs.filter(limite__lte=aujourdhui).values(
        "pk", "plie_id", "derniere", "date_entree", "limite", "suspendus"
    ):
        mois = delais[row["plie_id"]].sans_etape_mois
        depuis = (
            f"dernière étape terminée le {_d(row['derniere'])}"
            if row["derniere"]
            else f"aucune étape depuis l'entrée le {_d(row['date_entree'])}"
        )
        yield Constat(
            row["pk"],
            TypeAlerte.SANS_ETAPE,
            row["limite"].isoformat(),
            row["limite"],
            f"Aucune étape depuis {mois} mois : {depuis}{_suspension(row['suspendus'])}. "
            "Construire la prochaine étape du parcours.",
            titre=f"Aucune étape depuis {mois} mois — construire la suivante",
        )


def _duree_parcours(parcours, delais, aujourdhui):
    # Le plus haut seuil franchi, selon les seuils du PLIE (ex. 12 et 24 mois).
    cas = [
        When(
            Q(plie_id=pid)
            & LessThanOrEqual(PlusMois(F("date_entree"), Value(seuil)), Value(aujourdhui)),
            then=Value(seuil),
        )
        for pid, d in delais.items()
        for seuil in sorted(d.alertes_duree_parcours_mois, reverse=True)
    ]
    if not cas:
        return
    qs = (
        _base(parcours, TypeAlerte.DUREE_PARCOURS)
        .filter(date_entree__isnull=False)
        .annotate(seuil=Case(*cas, default=None, output_field=IntegerField()))
        .filter(seuil__isnull=False)
    )
    for row in qs.values("pk", "date_entree", "seuil"):
        atteint = row["date_entree"] + relativedelta(months=row["seuil"])
        yield Constat(
            row["pk"],
            TypeAlerte.DUREE_PARCOURS,
            str(row["seuil"]),
            atteint + DELAI_REVUE_PARCOURS,
            f"Parcours de plus de {row['seuil']} mois : entré le {_d(row['date_entree'])}, "
            f"seuil atteint le {_d(atteint)}. Faire le point sur le parcours et ses perspectives "
            "de sortie.",
            titre=f"Parcours de plus de {row['seuil']} mois — faire le point",
        )


def _rqth(parcours, delais, aujourdhui):
    # Alerte à partir de « fin de validité - préavis » ; une RQTH échue reste signalée.
    horizon = Case(
        *[
            When(plie_id=pid, then=Value(aujourdhui + datetime.timedelta(d.rqth_echeance_jours)))
            for pid, d in delais.items()
        ],
        default=Value(aujourdhui),
        output_field=DateField(),
    )
    qs = _base(parcours, TypeAlerte.RQTH).filter(
        prescription__rqth_jusqu_au__isnull=False, prescription__rqth_jusqu_au__lte=horizon
    )
    for row in qs.values("pk", "prescription__rqth_jusqu_au"):
        fin = row["prescription__rqth_jusqu_au"]
        quand = (
            f"a expiré le {_d(fin)}"
            if fin < aujourdhui
            else f"expire le {_d(fin)} (dans {(fin - aujourdhui).days} jours)"
        )
        yield Constat(
            row["pk"],
            TypeAlerte.RQTH,
            fin.isoformat(),
            fin,
            f"La RQTH {quand} : accompagner la demande de renouvellement auprès de la MDPH.",
            titre=f"RQTH à renouveler — {'expirée' if fin < aujourdhui else 'expire'} le "
            f"{_court(fin, aujourdhui)}",
        )


# Réponses exigées selon la situation déclarée (voir QuestionnaireFSE.champs_exiges).
CHAMPS_CONDITIONNELS = {
    "type_emploi": SituationMarcheTravail.EN_EMPLOI,
    "mois_recherche_emploi": SituationMarcheTravail.DEMANDEUR_EMPLOI,
}


def questionnaire_incomplet() -> Q:
    """Le prédicat SQL de `QuestionnaireFSE.complet` (faux) : une réponse exigée manque."""
    manque = Q()
    for champ in QuestionnaireFSE.CHAMPS:
        if champ in QuestionnaireFSE.CHAMPS_FACULTATIFS:
            continue
        field = QuestionnaireFSE._meta.get_field(champ)
        vide = Q(**{f"{champ}__isnull": True}) if field.null else Q(**{champ: ""})
        if champ in CHAMPS_CONDITIONNELS:
            vide &= Q(situation_marche_travail=CHAMPS_CONDITIONNELS[champ])
        manque |= vide
    return manque


def _fse_entree(parcours, delais, aujourdhui):
    incomplet = QuestionnaireFSE.objects.filter(parcours_id=OuterRef("pk")).filter(
        questionnaire_incomplet()
    )
    renseigne = QuestionnaireFSE.objects.filter(parcours_id=OuterRef("pk"))
    qs = _base(parcours, TypeAlerte.FSE_ENTREE).filter(Exists(incomplet) | ~Exists(renseigne))
    for row in qs.values("pk", "date_entree", "date_prescription"):
        entree = row["date_entree"] or row["date_prescription"]
        yield Constat(
            row["pk"],
            TypeAlerte.FSE_ENTREE,
            "entree",
            entree,
            "Le questionnaire FSE+ d'entrée est incomplet : sans ces données, la participation "
            "n'est pas éligible au FSE+. Le compléter depuis le dossier.",
            titre="Questionnaire FSE+ d'entrée à compléter",
        )


def _fse_sortie(parcours, delais, aujourdhui):
    saisies = DonneesSortieFSE.objects.filter(parcours_id=OuterRef("pk"))
    qs = (
        _base(parcours, TypeAlerte.FSE_SORTIE)
        .filter(date_sortie__isnull=False, date_sortie__lte=aujourdhui)
        .exclude(Exists(saisies))
    )
    for row in qs.values("pk", "plie_id", "date_sortie"):
        semaines = delais[row["plie_id"]].fse_sortie_semaines
        limite = row["date_sortie"] + datetime.timedelta(weeks=semaines)
        yield Constat(
            row["pk"],
            TypeAlerte.FSE_SORTIE,
            row["date_sortie"].isoformat(),
            limite,
            f"Sortie le {_d(row['date_sortie'])} : les données FSE+ de sortie sont à saisir "
            f"avant le {_d(limite)} ({semaines} semaines).",
            titre=f"Données FSE+ de sortie à saisir avant le {_court(limite, aujourdhui)}",
        )


CONDITIONS = {
    TypeAlerte.ENTRETIEN_MENSUEL: _entretien_mensuel,
    TypeAlerte.SANS_CONTACT: _sans_contact,
    TypeAlerte.SANS_ETAPE: _sans_etape,
    TypeAlerte.DUREE_PARCOURS: _duree_parcours,
    TypeAlerte.RQTH: _rqth,
    TypeAlerte.FSE_ENTREE: _fse_entree,
    TypeAlerte.FSE_SORTIE: _fse_sortie,
}
