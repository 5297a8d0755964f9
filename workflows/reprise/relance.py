"""Une relance qui change les contrats ou les suspensions d'un parcours déjà repris sans changer
son état (docs/reprise.md, « Le travail reprend ») : son travail suit, sans rien dupliquer.

- contrats : le minuteur de la sortie suit la nouvelle date prévisionnelle
  (`recalculer_minuteur`, comme à l'enregistrement d'un contrat à l'écran), le suivi d'un
  contrat terminé (fin passée) est annulé et un contrat nouveau reçoit son suivi
  (`creer_les_suivis_de_contrats`, qui saute les contrats déjà suivis) ;
- suspensions : le minuteur de la fin prévue suit la suspension en cours ; un processus dont la
  suspension a été levée est annulé, une suspension en cours sans processus en reçoit un.

Une relance change peu de parcours : ils sont traités un à un.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.suspensions import Suspension
from parcours.emploi.models import Contrat
from workflows.emploi.flows import SuiviContratFlow
from workflows.emploi.reactions import recalculer_minuteur
from workflows.reprise.contrats import STATUTS_SUIVIS, creer_les_suivis_de_contrats
from workflows.reprise.processus import (
    attentes_des_parcours,
    creer_les_processus,
    parcours_deja_suivis,
)
from workflows.suivi.flows import HEURE_MINUTEUR, SuspensionFlow


def _le_jour_a_7h(jour):
    """L'instant du minuteur de fin de suspension, comme `SuspensionFlow.fin_prevue`."""
    return timezone.make_aware(datetime.datetime.combine(jour, HEURE_MINUTEUR))


def annuler_les_suivis_termines(plie, parcours_ids) -> int:
    """Les suivis en cours des contrats terminés (fin passée) de ces parcours, annulés par l'API
    de viewflow : il n'y a plus d'emploi à suivre. Rend leur nombre."""
    termines = set(
        Contrat.objects.filter(
            parcours__plie=plie,
            parcours_id__in=list(parcours_ids),
            fin__lte=timezone.localdate(),
        ).values_list("pk", flat=True)
    )
    if not termines:
        return 0
    processus = Process.objects.filter(
        flow_class=SuiviContratFlow,
        status=PROCESS.NEW,
        artifact_content_type=ContentType.objects.get_for_model(Parcours),
        artifact_object_id__in=list(parcours_ids),
    ).order_by("pk")
    annules = 0
    for process in processus:
        if process.data.get("contrat") in termines:
            SuiviContratFlow.instance.cancel(process)
            annules += 1
    return annules


def suivre_les_contrats(plie, parcours_ids) -> tuple[int, int, int]:
    """Rend (minuteurs de sortie revus, suivis de contrats créés, suivis annulés)."""
    annules = annuler_les_suivis_termines(plie, parcours_ids)
    parcours = list(
        Parcours.objects.filter(plie=plie, pk__in=list(parcours_ids), statut__in=STATUTS_SUIVIS)
        .select_related("plie", "referent")
        .order_by("pk")
    )
    for p in parcours:
        recalculer_minuteur(p)
    return len(parcours), creer_les_suivis_de_contrats(parcours), annules


def suivre_les_suspensions(plie, parcours_ids) -> tuple[int, int, int]:
    """Rend (processus créés, minuteurs déplacés, processus annulés)."""
    ids = list(
        Parcours.objects.filter(plie=plie, pk__in=list(parcours_ids)).values_list("pk", flat=True)
    )
    en_cours = {s.pk: s for s in Suspension.objects.en_cours().filter(parcours_id__in=ids)}
    processus = Process.objects.filter(
        flow_class=SuspensionFlow,
        status=PROCESS.NEW,
        artifact_content_type=ContentType.objects.get_for_model(Parcours),
        artifact_object_id__in=ids,
    ).order_by("pk")
    deplaces = annules = 0
    for process in processus:
        suspension = en_cours.get(process.data.get("suspension"))
        if suspension is None:
            SuspensionFlow.instance.cancel(process)
            annules += 1
            continue
        deplaces += process.task_set.filter(
            flow_task=SuspensionFlow.attendre, status=STATUS.SCHEDULED
        ).update(scheduled=_le_jour_a_7h(suspension.fin_prevue))
    deja = parcours_deja_suivis(ids)
    suspendus = list(
        Parcours.objects.filter(pk__in=ids, statut=Statut.SUSPENDU)
        .exclude(pk__in=deja)
        .select_related("plie", "referent")
        .order_by("pk")
    )
    crees = len(creer_les_processus(attentes_des_parcours(suspendus)))
    return crees, deplaces, annules
