"""Ce que les changements du domaine font aux flux de l'emploi et de la sortie (docs/emploi.md).

Le domaine ne connaît pas les flux : `parcours.emploi.services` émet `contrats_modifies`, que
ce module écoute (branché par `workflows/apps.py`) ; les écrans hors tâche (`views.py`) et
l'écran de séance (`workflows.commissions`) appellent `apres_proposition`,
`apres_donnees_sortie` et `avancer_flux_sortie` après le service du domaine, dans sa
transaction.
"""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from viewflow.workflow.status import STATUS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.emploi import services as emploi
from workflows.emploi.flows import SortieFlow, SuiviContratFlow, instant_du_minuteur


def _processus_actifs(flow_class, parcours):
    return flow_class.process_class.objects.filter(
        flow_class=flow_class,
        artifact_content_type=ContentType.objects.get_for_model(Parcours),
        artifact_object_id=parcours.pk,
        status=STATUS.NEW,
    )


def _tache_ouverte(flow_class, parcours, noeud, statuts=(STATUS.NEW, STATUS.ASSIGNED)):
    return (
        flow_class.task_class.objects.filter(
            process__in=_processus_actifs(flow_class, parcours),
            flow_task=noeud,
            status__in=statuts,
        )
        .order_by("-id")
        .first()
    )


def recalculer_minuteur(parcours) -> None:
    """Les contrats ont changé : le minuteur de sortie suit la nouvelle date prévisionnelle ;
    s'il n'y a pas encore de processus de sortie, il démarre."""
    if not _processus_actifs(SortieFlow, parcours).exists():
        if parcours.statut in (Statut.EN_EMPLOI, Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU):
            SortieFlow.start.run(parcours=parcours)
        return
    minuteur = _tache_ouverte(SortieFlow, parcours, SortieFlow.attente, (STATUS.SCHEDULED,))
    if minuteur is not None:
        with SortieFlow.lock(minuteur.process_id):
            minuteur.scheduled = instant_du_minuteur(parcours)
            minuteur.save(update_fields=["scheduled"])


# Pas d'employeur à appeler ni à visiter : pas de suivi du CRE (le minuteur de sortie, si).
TYPES_SANS_SUIVI = ("formation_qualifiante", "creation_entreprise")


@receiver(emploi.contrats_modifies)
def _contrats_modifies(sender, parcours, contrat, par, action, **kwargs):
    if action == "enregistre" and contrat.type not in TYPES_SANS_SUIVI:
        SuiviContratFlow.start.run(parcours=parcours, contrat=contrat)
    recalculer_minuteur(parcours)


def _executer(tache) -> None:
    """Termine une tâche humaine ouverte quand son travail a été fait sur un autre écran."""
    with tache.activation() as activation:
        if tache.status == STATUS.NEW:
            activation.assign(tache.owner)
        activation.start(None)
        activation.execute()


def apres_proposition(parcours) -> None:
    """La sortie a été proposée hors de la tâche « Proposer la sortie » : le flux de sortie
    attend maintenant la commission."""
    tache = _tache_ouverte(SortieFlow, parcours, SortieFlow.proposer)
    if tache is not None:
        _executer(tache)
        return
    for process in _processus_actifs(SortieFlow, parcours):
        SortieFlow.instance.cancel(process)
    SortieFlow.start_proposee.run(parcours=parcours)


def apres_donnees_sortie(parcours) -> None:
    tache = _tache_ouverte(SortieFlow, parcours, SortieFlow.donnees_fse)
    if tache is not None:
        _executer(tache)


def avancer_flux_sortie(parcours) -> None:
    """Décision de la commission de sortie : le flux passe à la suite (données FSE+ ou retour en
    attente) ; à la sortie, le suivi dans l'emploi s'arrête."""
    tache = _tache_ouverte(SortieFlow, parcours, SortieFlow.decision, (STATUS.NEW,))
    if tache is not None:
        SortieFlow.decision.run(tache)
    if parcours.statut == Statut.SORTI:
        for process in _processus_actifs(SuiviContratFlow, parcours):
            SuiviContratFlow.instance.cancel(process)
