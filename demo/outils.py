"""Outils de la démonstration : SIRET valides, PDF minimal, fin des tâches faites par les
services, dates."""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from viewflow.workflow.status import STATUS

from demo.donnees import PLIE_DEMO  # noqa: F401 — réexporté pour les modules de la démo
from parcours.accompagnement.chemins import PDF_MINIMAL
from parcours.entreprises.enums import TrancheEffectif
from workflows.clauses.flows import CandidatureFlow

User = get_user_model()
DOSSIERS_NECESSAIRES = 6

# (raison sociale, secteur, tranche, partenaire, commune) ; le SIRET est calculé (clés valides).
ENTREPRISES = [
    ("Bâtir Ensemble", "BTP", TrancheEffectif.MOYENNE, True),
    ("Propreté Services", "Nettoyage", TrancheEffectif.PETITE, True),
    ("Logistique du Sud-Ouest", "Logistique", TrancheEffectif.GRANDE, False),
]


def siret_demo(graine: int) -> str:
    """Un SIRET de démonstration valide (SIREN et SIRET à clé de Luhn) pour chaque graine."""
    base = f"9{graine:07d}"
    siren = next(base + str(c) for c in range(10) if stdnum_siren.is_valid(base + str(c)))
    return next(siren + f"0001{c}" for c in range(10) if stdnum_siret.is_valid(siren + f"0001{c}"))


def pdf(nom: str) -> ContentFile:
    return ContentFile(PDF_MINIMAL, name=nom)


def terminer_tache(flow_class, tache, par) -> None:
    """Termine une tâche humaine dont le travail vient d'être fait par son service (comme son
    écran le ferait après l'enregistrement)."""
    with flow_class.lock(tache.process_id), transaction.atomic():
        tache.refresh_from_db()
        activation = tache.flow_task.activation_class(tache)
        if tache.status == STATUS.NEW:
            activation.assign(par)
        activation.start(None)
        activation.execute()


def tache_candidature(positionnement, noeud):
    return CandidatureFlow.task_class.objects.get(
        process__artifact_object_id=positionnement.pk,
        process__flow_class=CandidatureFlow,
        flow_task=noeud,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def premier_du_mois(jour: datetime.date, decalage: int = 0) -> datetime.date:
    return jour.replace(day=1) + relativedelta(months=decalage)


def dater_engagement(parcours, instant: datetime.datetime) -> None:
    """Date au moment `instant` (le lendemain de l'admission dans la démo) ce que l'engagement a
    enregistré au chargement : contrat généré et sa copie signée, questionnaire FSE+, pièces ;
    sinon l'historique du dossier les placerait au jour du chargement, après la suite du
    parcours."""
    from parcours.accompagnement.models import ContratEngagement, PieceEntree, QuestionnaireFSE

    PieceEntree.objects.filter(parcours=parcours).update(le=instant)
    contrats = ContratEngagement.objects.filter(parcours=parcours)
    contrats.filter(genere_le__isnull=False).update(genere_le=instant)
    contrats.filter(copie_deposee_le__isnull=False).update(copie_deposee_le=instant)
    QuestionnaireFSE.objects.filter(parcours=parcours).update(updated_at=instant)
