"""Les processus des parcours ouverts repris, créés par lots au nœud où attendrait un parcours
arrivé dans cet état par les écrans (docs/reprise.md, « Le travail reprend »).

Rejouer chaque flux depuis son début (`start.run`) exécuterait des nœuds que l'autre outil a
déjà faits (placer en commission, premier entretien…) et coûterait une douzaine de requêtes par
parcours. On écrit donc, par lots, ce que les activations de viewflow laissent en base : le
processus, sa tâche de départ terminée, et la tâche qui attend, reliée à elle (`previous`), avec
son propriétaire ou sa file (calculés par le nœud lui-même : `.Assign`, `.Permission`) ou son
minuteur. La suite s'exécute par l'API normale de viewflow (décision de séance, minuteurs,
écrans des tâches).
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.suspensions import Suspension
from parcours.emploi.services.qualification import qualifications_par_lot
from workflows.emploi.flows import SortieFlow, SuiviContratFlow, instant_de_la_qualification
from workflows.entree.flows import EntreeFlow
from workflows.suivi.flows import HEURE_MINUTEUR, SuspensionFlow

# Les flux qui portent le travail d'un parcours ouvert : un processus actif de l'un d'eux, et le
# parcours n'est pas touché (relance, parcours déjà suivi).
FLUX_DU_PARCOURS = (EntreeFlow, SortieFlow, SuspensionFlow, SuiviContratFlow)
EN_ATTENTE_DE_COMMISSION = (Statut.RECEVABLE, Statut.EN_COMMISSION_ENTREE, Statut.AJOURNE)


@dataclass
class Attente:
    """Le processus d'un parcours : son nœud de départ, le nœud où il attend."""

    parcours: Parcours
    depart: object
    noeud: object
    donnees: dict = field(default_factory=dict)
    donnees_tache: dict = field(default_factory=dict)
    minuteur: datetime.datetime | None = None


def _a_7h(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, HEURE_MINUTEUR))


def attentes_des_parcours(parcours: list[Parcours]) -> list[Attente]:
    """Le nœud d'attente de chaque parcours selon son état ; trois requêtes en tout (suspensions
    en cours, parcours en emploi et leurs contrats). Un état sans travail à reprendre dans un
    flux (incomplet sans prescripteur, en accompagnement : ses échéances sont des alertes) n'en
    a pas."""
    ids = [p.pk for p in parcours if p.statut == Statut.SUSPENDU]
    suspensions = {
        s.parcours_id: s for s in Suspension.objects.en_cours().filter(parcours_id__in=ids)
    }
    ids = [p.pk for p in parcours if p.statut == Statut.EN_EMPLOI]
    qualifications = {}
    if ids:
        qualifications = {
            p.pk: q for p, q in qualifications_par_lot(Parcours.objects.filter(pk__in=ids))
        }
    attentes = []
    for p in parcours:
        if p.statut == Statut.PRESCRIT:
            attentes.append(Attente(p, EntreeFlow.start, EntreeFlow.verifier_recevabilite))
        elif p.statut in EN_ATTENTE_DE_COMMISSION:
            attentes.append(Attente(p, EntreeFlow.start, EntreeFlow.decision_commission))
        elif p.statut == Statut.ADMIS and p.referent_id:
            attentes.append(Attente(p, EntreeFlow.start, EntreeFlow.premier_entretien))
        elif p.statut == Statut.SUSPENDU and p.referent_id and p.pk in suspensions:
            s = suspensions[p.pk]
            attentes.append(
                Attente(
                    p,
                    SuspensionFlow.start,
                    SuspensionFlow.attendre,
                    donnees={"suspension": s.pk},
                    minuteur=_a_7h(s.fin_prevue),
                )
            )
        elif p.statut == Statut.EN_EMPLOI:
            instant = instant_de_la_qualification(qualifications[p.pk])
            attentes.append(Attente(p, SortieFlow.start, SortieFlow.attente, minuteur=instant))
        elif p.statut == Statut.SORTIE_PROPOSEE:
            attentes.append(Attente(p, SortieFlow.start_proposee, SortieFlow.decision))
    return attentes


def parcours_deja_suivis(parcours_ids) -> set[int]:
    """Les parcours qui ont déjà un processus actif d'un flux de parcours (une requête)."""
    return set(
        Process.objects.filter(
            artifact_content_type=ContentType.objects.get_for_model(Parcours),
            artifact_object_id__in=list(parcours_ids),
            status=PROCESS.NEW,
            flow_class__in=FLUX_DU_PARCOURS,
        ).values_list("artifact_object_id", flat=True)
    )


def tache_en_attente(attente: Attente, process, maintenant, jeton=None) -> Task:
    """La tâche qui attend ; après une porte parallèle, avec le jeton de sa branche
    (`Token.split_token_source`, comme la porte de viewflow)."""
    noeud = attente.noeud
    tache = Task(
        process=process,
        flow_task=noeud,
        flow_task_type=noeud.task_type,
        token=jeton or Token("start"),
        created=maintenant,
        status=STATUS.NEW,
        data=attente.donnees_tache,
    )
    if attente.minuteur is not None:
        tache.status, tache.scheduled = STATUS.SCHEDULED, attente.minuteur
    if hasattr(noeud, "calc_owner"):
        # Le nœud calcule lui-même sa file et son propriétaire, comme à sa création par viewflow.
        activation = SimpleNamespace(process=process, task=tache)
        if permission := noeud.calc_owner_permission(activation):
            tache.owner_permission = permission
            tache.owner_permission_obj = noeud.calc_owner_permission_obj(activation)
        if proprietaire := noeud.calc_owner(activation):
            tache.owner, tache.status, tache.assigned = proprietaire, STATUS.ASSIGNED, maintenant
    return tache


def creer_les_processus(attentes: list[Attente]) -> list[Process]:
    """Quatre insertions groupées, quel que soit le nombre de parcours."""
    maintenant = timezone.now()
    processus, departs, taches = [], [], []
    for a in attentes:
        process = Process(flow_class=a.depart.flow_class, data=a.donnees, created=maintenant)
        process.artifact = a.parcours
        processus.append(process)
        departs.append(
            Task(
                process=process,
                flow_task=a.depart,
                flow_task_type=a.depart.task_type,
                token=Token("start"),
                status=STATUS.DONE,
                created=maintenant,
                started=maintenant,
                finished=maintenant,
            )
        )
        taches.append(tache_en_attente(a, process, maintenant))
    Process.objects.bulk_create(processus)
    Task.objects.bulk_create(departs + taches)
    Task.previous.through.objects.bulk_create(
        Task.previous.through(from_task_id=t.pk, to_task_id=d.pk)
        for t, d in zip(taches, departs, strict=True)
    )
    return processus
