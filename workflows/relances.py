"""Relancer les tâches en retard : une fois par tâche, par courriel conservé dans le dossier."""

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.core.models import PLIE, Membership
from parcours.courriels.services import envoyer_courriels
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


# Une relance par tâche ; les tâches en retard sont traitées par lots de cette taille, chaque
# lot en un nombre constant de requêtes (parcours, files, courriels, relances).
LOT = 500


def _files(taches, dossiers) -> dict:
    """Les comptes de chaque file (PLIE, rôles) des tâches non prises du lot, en une requête :
    les CRE du PLIE pour le suivi dans l'emploi (workflows/emploi/flows.py), sinon l'équipe
    d'animation."""
    plies = {dossiers[t.process.artifact_object_id].plie_id for t in taches if t.owner_id is None}
    files = {}
    if not plies:
        return files
    adhesions = (
        Membership.objects.actives()
        .filter(structure__plie_id__in=plies, role__in=[Role.ANIMATEUR, Role.DIRECTION, Role.CRE])
        .select_related("user", "structure")
    )
    for m in adhesions:
        files.setdefault((m.structure.plie_id, m.role), []).append(m.user)
    return files


def destinataires(tache, parcours, files) -> list:
    if tache.owner_id is not None:
        return [tache.owner]
    roles = [Role.ANIMATEUR, Role.DIRECTION]
    if tache.owner_permission == "core.suivre_emploi_plie":
        roles = [Role.CRE]
    return [u for role in roles for u in files.get((parcours.plie_id, role), [])]


def _relancer(taches) -> int:
    dossiers = Parcours.objects.select_related("participant").in_bulk(
        {t.process.artifact_object_id for t in taches}
    )
    files = _files(taches, dossiers)
    messages = {**MESSAGES, **MESSAGES_RELANCE, **MESSAGES_RELANCE_SUIVI}
    envois = []
    for tache in taches:
        parcours = dossiers[tache.process.artifact_object_id]
        sujet, texte = messages[tache.flow_task.name]
        envois.append(
            {
                "destinataires": destinataires(tache, parcours, files),
                "sujet": f"Relance : {sujet} — {parcours.participant}",
                "corps": texte.format(
                    p=parcours.participant, d=f"{timezone.localtime(tache.created):%d/%m/%Y}"
                ),
                "parcours": parcours,
            }
        )
    with transaction.atomic():
        courriels = envoyer_courriels(envois)
        Relance.objects.bulk_create(
            [Relance(tache=t, courriel=c) for t, c in zip(taches, courriels, strict=True)]
        )
    return len(taches)


def envoyer_relances(maintenant=None, lot=LOT) -> int:
    """Relance chaque tâche ouverte dont l'échéance est passée et qui n'a pas été relancée, par
    lots : le nombre de requêtes ne dépend que du nombre de lots."""
    maintenant = maintenant or timezone.now()
    from workflows.alertes import AlerteFlow

    ouvertes = Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], relance__isnull=True)
    # Une alerte de suivi est déjà un rappel, souvent échu dès son ouverture : pas de courriel.
    ouvertes = ouvertes.exclude(flow_task=AlerteFlow.traiter)
    plies = set(PLIE.objects.values_list("pk", flat=True))
    en_retard = (
        echeances.annoter(ouvertes, plies)
        .filter(echeance__lt=maintenant)
        .select_related("owner", "process")
        .order_by("pk")
    )
    envoyees, dernier = 0, 0
    while taches := list(en_retard.filter(pk__gt=dernier)[:lot]):
        envoyees += _relancer(taches)
        dernier = taches[-1].pk
    return envoyees
