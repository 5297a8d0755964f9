"""Relancer les tâches en retard : une fois par tâche, par courriel conservé dans le dossier."""

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.models import Membership
from parcours.courriels.services import envoyer_courriel
from workflows import echeances
from workflows.emploi.flows import MESSAGES_RELANCE
from workflows.models import Relance
from workflows.suivi import MESSAGES_RELANCE as MESSAGES_RELANCE_SUIVI

MESSAGES = {
    "verifier_recevabilite": (
        "Prescription en attente de recevabilité",
        "La prescription de {p} attend la décision de recevabilité depuis le {d}, au-delà du "
        "délai du référentiel. La tâche est dans la file « À prendre » de l'équipe d'animation.",
    ),
    "completer": (
        "Compléments attendus",
        "Les compléments demandés pour la prescription de {p} sont attendus depuis le {d}. La "
        "tâche « Compléter la prescription » est dans votre boîte.",
    ),
    "premier_entretien": (
        "Engagement en attente",
        "{p} a été admis·e le {d} et son contrat d'engagement n'est pas encore complet. La tâche "
        "« Premier entretien » est dans votre boîte.",
    ),
}


def destinataires(tache, parcours):
    if tache.owner_id is not None:
        return [tache.owner]
    # Tâche non prise : la file qui peut la prendre — les CRE du PLIE pour le suivi dans
    # l'emploi (workflows/emploi/flows.py), sinon l'équipe d'animation.
    roles = [Role.ANIMATEUR, Role.DIRECTION]
    if tache.owner_permission == "core.suivre_emploi_plie":
        roles = [Role.CRE]
    return [
        m.user
        for m in Membership.objects.actives()
        .filter(structure__plie_id=parcours.plie_id, role__in=roles)
        .select_related("user")
    ]


def envoyer_relances(maintenant=None) -> int:
    """Relance chaque tâche ouverte dont l'échéance est passée et qui n'a pas été relancée."""
    maintenant = maintenant or timezone.now()
    from workflows.alertes import AlerteFlow

    ouvertes = Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], relance__isnull=True)
    # Une alerte de suivi est déjà un rappel, souvent échu dès son ouverture : pas de courriel.
    ouvertes = ouvertes.exclude(flow_task=AlerteFlow.traiter)
    plies = set(Parcours.objects.values_list("plie_id", flat=True).distinct())
    en_retard = (
        echeances.annoter(ouvertes, plies).filter(echeance__lt=maintenant).select_related("owner")
    )
    envoyees = 0
    for tache in en_retard:
        parcours = Parcours.objects.select_related("participant", "plie").get(
            pk=tache.process.artifact_object_id
        )
        messages = {**MESSAGES, **MESSAGES_RELANCE, **MESSAGES_RELANCE_SUIVI}
        sujet, texte = messages[tache.flow_task.name]
        with transaction.atomic():
            courriel = envoyer_courriel(
                destinataires=destinataires(tache, parcours),
                sujet=f"Relance : {sujet} — {parcours.participant}",
                corps=texte.format(
                    p=parcours.participant, d=f"{timezone.localtime(tache.created):%d/%m/%Y}"
                ),
                parcours=parcours,
            )
            Relance.objects.create(tache=tache, courriel=courriel)
        envoyees += 1
    return envoyees
