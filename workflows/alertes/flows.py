"""Le flux d'une alerte de suivi : « Traiter l'alerte » dans la boîte du référent.

Un processus `AlerteFlow` par alerte ouverte (parcours, type, clé) : ouvert par `verifier_alertes`
(workflows/alertes/verification.py), sa tâche est assignée au référent avec son échéance ; le
référent dit ce qu'il a fait, ou la vérification suivante lève l'alerte quand sa condition a
disparu.
"""

import datetime

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from viewflow import this
from viewflow.workflow import flow, lock

from parcours.accompagnement.models import Parcours
from parcours.dossier.alertes import Constat
from workflows import access as workflows_access
from workflows import nodes
from workflows.alertes.forms import TraiterAlerteForm
from workflows.taches import TacheMixin

HEURE_ECHEANCE = datetime.time(18, 0)


class TraiterAlerteView(TacheMixin, generic.FormView):
    """La tâche du référent : l'alerte, son explication, ce qu'il a fait."""

    template_name = "alertes/traiter.html"
    form_class = TraiterAlerteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.activation.process.data
        context.update(alerte=data, echeance=echeance_de(data))
        return context

    def form_valid(self, form):
        process = self.request.activation.process
        process.data = {
            **process.data,
            "traitement": {
                "par": nom_de(self.request.user),
                "le": timezone.now().isoformat(),
                "commentaire": form.cleaned_data["commentaire"],
            },
        }
        process.save(update_fields=["data"])
        self.request.activation.execute()
        messages.success(
            self.request,
            f"Alerte « {process.data['libelle']} » traitée pour {self.get_parcours().participant}.",
        )
        return HttpResponseRedirect(reverse("participants:dossier", args=[self.get_parcours().pk]))


class AlerteFlow(flow.Flow):
    """Une alerte de suivi : constatée par `verifier_alertes`, traitée par le référent ou levée
    d'elle-même quand sa condition disparaît."""

    process_title = "Alerte de suivi"
    process_description = (
        "Entretien mensuel, contact, étape, durée du parcours, RQTH, données FSE+ : ce que le "
        "référentiel du PLIE demande de surveiller."
    )
    process_summary_template = (
        "{{ process.data.titre|default:process.data.libelle }} — {{ process.artifact.participant }}"
    )
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.ouvrir).Annotation(title="Alerte constatée").Next(this.traiter)

    traiter = (
        nodes.View(TraiterAlerteView.as_view())
        .Annotation(
            title="Traiter l'alerte",
            description="Le référent agit (entretien, relance, étape, données) et dit ce qu'il a "
            "fait.",
            summary_template="{{ process.data.titre|default:process.data.libelle }} — "
            "{{ process.artifact.participant }}",
        )
        .Assign(lambda act: act.process.artifact.referent)
        .Droit(workflows_access.droit_du_referent)
        .onCreate(this.fixer_echeance)
        .Next(this.traitee)
    )

    traitee = flow.End().Annotation(title="Alerte traitée")

    def ouvrir(self, activation, parcours, constat: Constat):
        activation.process.artifact = parcours
        activation.process.data = donnees_d_alerte(constat, timezone.now())
        return activation.process

    def fixer_echeance(self, activation):
        # L'échéance de la tâche, là où les boîtes de tâches la lisent (workflows.echeances) :
        # jamais avant sa création (une alerte constatée déjà échue est due le jour même).
        activation.task.data = {
            **activation.task.data,
            "echeance": echeance_de_la_tache(
                echeance_de(activation.process.data), activation.task.created or timezone.now()
            ).isoformat(),
        }
        activation.task.save(update_fields=["data"])

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated


def donnees_d_alerte(constat: Constat, maintenant: datetime.datetime) -> dict:
    """Les données d'un processus d'alerte : ce qu'en lisent les boîtes, le dossier et la passe
    suivante (type et clé : la situation déjà signalée). Une seule écriture pour l'ouverture par
    viewflow et l'ouverture par lot (workflows/alertes/lots.py)."""
    return {
        "type": constat.type,
        "libelle": constat.libelle,
        "titre": constat.titre_de_tache,
        "cle": constat.cle,
        "raison": constat.raison,
        "echeance": timezone.make_aware(
            datetime.datetime.combine(constat.echeance, HEURE_ECHEANCE)
        ).isoformat(),
        "ouverte_le": maintenant.isoformat(),
    }


def nom_de(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def echeance_de(data: dict) -> datetime.datetime | None:
    valeur = data.get("echeance")
    return datetime.datetime.fromisoformat(valeur) if valeur else None


def echeance_de_la_tache(
    echeance: datetime.datetime, creee_le: datetime.datetime
) -> datetime.datetime:
    """L'échéance d'une tâche d'alerte : celle du constat, mais jamais avant le jour où la tâche
    est créée (une alerte constatée échue est due ce jour-là, à `HEURE_ECHEANCE`), ni avant sa
    création elle-même (créée après cette heure)."""
    jour = max(timezone.localtime(echeance).date(), timezone.localtime(creee_le).date())
    return max(timezone.make_aware(datetime.datetime.combine(jour, HEURE_ECHEANCE)), creee_le)


def titre_de(data: dict) -> str:
    """Ce qu'est la tâche d'alerte (« Entretien mensuel dû — dernier le 12/10 ») ; le libellé
    du type pour une alerte ouverte avant que les titres existent."""
    return data.get("titre") or data.get("libelle") or "Alerte de suivi"


def type_parcours():
    """Le type de contenu des parcours : l'`artifact` des processus d'alerte."""
    return ContentType.objects.get_for_model(Parcours)
