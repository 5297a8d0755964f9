"""Ce qu'une décision prise en séance fait aux flux : le flux d'entrée du dossier passe à la
suite (nœud « Décision de la commission d'entrée » : admis → tâche « Premier entretien » chez le
référent désigné) ; pour une sortie, c'est `workflows.emploi.reactions.avancer_flux_sortie`."""

from viewflow.workflow.status import STATUS

from workflows.entree.flows import EntreeFlow


def avancer_flux_entree(parcours):
    """Termine le nœud d'attente de la décision du flux d'entrée de ce dossier, s'il y en a un."""
    tache = (
        EntreeFlow.task_class.objects.filter(
            process__artifact_object_id=parcours.pk,
            process__flow_class=EntreeFlow,
            flow_task=EntreeFlow.decision_commission,
            status=STATUS.NEW,
        )
        .order_by("-id")
        .first()
    )
    if tache is not None:
        EntreeFlow.decision_commission.run(tache)
