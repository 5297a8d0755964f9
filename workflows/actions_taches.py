"""Les actions de viewflow sur une tâche (prendre, rendre, annuler, défaire, relancer) avec un
message en français qui dit quelle tâche et pour qui : « Tâche « Vérifier la recevabilité » de
DUPONT Marie prise en charge », au lieu de « La tâche #710 a été assignée ».

Viewflow compose son message dans `SuccessMessageMixin.get_success_message` (liens `#<pk>`) ;
chaque vue ici le remplace. Les nœuds du projet (`workflows.nodes.View`) les déclarent par les
attributs publics `*_view_class` des nœuds de viewflow.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.flow import views

from parcours.accompagnement.models import Parcours


def titre_de_la_tache(task, donnees_processus=None) -> str:
    """Ce qu'est la tâche (le titre que montrent les boîtes) : l'alerte qu'elle porte, la
    relance et son absence, sinon le titre du nœud. `donnees_processus` : les données du
    processus déjà lues (les boîtes les annotent), sinon lues sur `task.process`."""
    from workflows.alertes.flows import AlerteFlow, titre_de
    from workflows.suivi import SuiviAbsenceFlow

    noeud = task.flow_task
    if donnees_processus is None:
        donnees_processus = task.process.data
    donnees = donnees_processus or {}
    if noeud is AlerteFlow.traiter:
        return titre_de(donnees)
    if noeud is SuiviAbsenceFlow.relancer_absence:
        libelle = (task.data or {}).get("libelle") or noeud.task_title
        if absence := donnees.get("date_absence"):
            return f"{libelle} — absence du {datetime.date.fromisoformat(absence):%d/%m}"
        return libelle
    return str(noeud.task_title)


def personne_de_la_tache(task) -> str:
    """La personne dont la tâche parle : le participant du parcours ou de la candidature."""
    from parcours.clauses.models import Positionnement

    process = task.process
    type_parcours = ContentType.objects.get_for_model(Parcours)
    if process.artifact_content_type_id == type_parcours.pk:
        parcours = (
            Parcours.objects.select_related("participant")
            .filter(pk=process.artifact_object_id)
            .first()
        )
        return str(parcours.participant) if parcours else ""
    if process.artifact_content_type_id == ContentType.objects.get_for_model(Positionnement).pk:
        candidature = (
            Positionnement.objects.select_related("participant", "candidat_externe")
            .filter(pk=process.artifact_object_id)
            .first()
        )
        if candidature is not None:
            personne = candidature.participant or candidature.candidat_externe
            return f"{personne.nom.upper()} {personne.prenom}" if personne else ""
    return ""


def decrire(task) -> str:
    """« Tâche « titre » de PERSONNE » (sans la personne si la tâche n'en porte pas)."""
    personne = personne_de_la_tache(task)
    return f"Tâche « {titre_de_la_tache(task)} »" + (f" de {personne}" if personne else "")


class MessageEnFrancais:
    """Remplace le message de viewflow : `suite` complète « Tâche « … » de … »."""

    suite = ""

    def get_success_message(self, cleaned_data):
        return f"{decrire(self.request.activation.task)} {self.suite}"


class PrendreTache(MessageEnFrancais, views.AssignTaskView):
    suite = "prise en charge : elle est dans « Mes tâches »."


class RendreTache(MessageEnFrancais, views.UnassignTaskView):
    suite = "rendue : elle retourne dans la file « À prendre »."


class AnnulerTache(MessageEnFrancais, views.CancelTaskView):
    suite = "annulée."


class DefaireTache(MessageEnFrancais, views.UndoTaskView):
    suite = "rouverte : ce qui avait été fait est annulé."


class RelancerTache(MessageEnFrancais, views.ReviveTaskView):
    suite = "relancée."
