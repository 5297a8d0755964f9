"""Le travail des candidatures reprises d'un autre outil reprend ici (docs/reprise.md).

`parcours.reprise` émet `candidatures_reprises` après avoir écrit les candidatures d'un passage ;
une candidature en cours qui n'a pas encore de flux reçoit un `CandidatureFlow` dont la tâche
ouverte est celle de son état, assignée au facilitateur du besoin : elle est dans sa boîte le
lendemain comme si elle avait été proposée ici. Par lots : deux insertions quel que soit le
nombre de candidatures. Branché par `workflows/apps.py`.
"""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.utils import timezone
from viewflow.workflow.status import STATUS

from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import Positionnement
from parcours.reprise.clauses.reprise import candidatures_reprises
from workflows.clauses.flows import CandidatureFlow

# L'état d'une candidature en cours -> la tâche qui l'attend.
NOEUDS = {
    StatutPositionnement.PROPOSEE: CandidatureFlow.verifier_eligibilite,
    StatutPositionnement.ELIGIBILITE_VERIFIEE: CandidatureFlow.positionner,
    StatutPositionnement.POSITIONNEE: CandidatureFlow.decision_entreprise,
    StatutPositionnement.RETENUE: CandidatureFlow.embauche,
}


@receiver(candidatures_reprises, dispatch_uid="workflows-candidatures-reprises")
def reprendre_le_travail(sender, positionnements, **kwargs):
    type_ = ContentType.objects.get_for_model(Positionnement)
    Process, Task = CandidatureFlow.process_class, CandidatureFlow.task_class
    avec_flux = Process.objects.filter(
        flow_class=CandidatureFlow,
        artifact_content_type=type_,
        artifact_object_id__in=positionnements,
    ).values("artifact_object_id")
    en_cours = list(
        Positionnement.objects.filter(pk__in=positionnements, statut__in=list(NOEUDS))
        .exclude(pk__in=avec_flux)
        .values_list("pk", "statut", "besoin__facilitateur_id")
        .order_by("pk")
    )
    maintenant = timezone.now()
    processus = Process.objects.bulk_create(
        Process(flow_class=CandidatureFlow, artifact_content_type=type_, artifact_object_id=pk)
        for pk, _, _ in en_cours
    )
    Task.objects.bulk_create(
        Task(
            process=process,
            flow_task=NOEUDS[statut],
            # bulk_create ne passe pas par Task.save(), qui le déduit du nœud.
            flow_task_type=NOEUDS[statut].task_type,
            owner_id=facilitateur_id,
            assigned=maintenant,
            status=STATUS.ASSIGNED,
        )
        for process, (_, statut, facilitateur_id) in zip(processus, en_cours, strict=True)
    )
