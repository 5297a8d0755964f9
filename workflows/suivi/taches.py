"""Les tâches du suivi dans la boîte du référent : faire une relance après une absence
injustifiée, décider à l'échéance d'une suspension (la renouveler ou la lever).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.views import generic

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import CanalContact
from parcours.accompagnement.models import Entretien, Suspension
from workflows.suivi.forms import RelanceForm, RenouvelerOuLeverForm
from workflows.taches import ERREURS_METIER, TacheMixin

# Le canal du contact enregistré quand la relance est faite, selon son action.
CANAL_DE_L_ACTION = {"courrier": CanalContact.COURRIER, "appel": CanalContact.TELEPHONE}


def suspension_du_processus(activation) -> Suspension:
    """La suspension que suit le processus, relue en base (renouvelée ou levée entre-temps ?)."""
    return Suspension.objects.get(pk=activation.process.data["suspension"])


# — Relance après une absence —


class RelanceView(TacheMixin, generic.FormView):
    template_name = "suivi/relance.html"
    form_class = RelanceForm

    def relance(self) -> dict:
        return self.request.activation.task.data

    def get_initial(self):
        return {"canal": CANAL_DE_L_ACTION.get(self.relance().get("action"), CanalContact.COURRIER)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        relance = self.relance()
        context.update(
            relance=relance,
            echeance=datetime.datetime.fromisoformat(relance["echeance"]),
            absence=Entretien.objects.filter(
                pk=self.request.activation.process.data.get("entretien")
            ).first(),
        )
        return context

    def form_valid(self, form):
        parcours = self.get_parcours()
        relance = self.relance()
        try:
            with transaction.atomic():
                suivi.enregistrer_entretien(
                    parcours,
                    self.request.user,
                    date=timezone.now(),
                    canal=form.cleaned_data["canal"],
                    note=f"{relance['libelle']} (relance après absence) : "
                    + form.cleaned_data["note"],
                )
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        return self.terminer(
            f"{relance['libelle']} : relance de {parcours.participant} enregistrée."
        )


# — Échéance d'une suspension : renouveler ou lever —


class EcheanceSuspensionView(TacheMixin, generic.FormView):
    """La suspension arrive à son terme : la renouveler ou la lever. Si elle l'a déjà été depuis
    la page du suivi, la tâche se termine simplement."""

    template_name = "suivi/echeance_suspension.html"
    form_class = RenouvelerOuLeverForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suspension = suspension_du_processus(self.request.activation)
        context.update(suspension=suspension, a_decider=self._a_decider(suspension))
        return context

    def _a_decider(self, suspension) -> bool:
        """Encore en cours et pas renouvelée depuis la création de la tâche."""
        return suspension.en_cours and suspension.fin_prevue <= timezone.localdate(
            self.request.activation.task.created
        )

    def post(self, request, *args, **kwargs):
        suspension = suspension_du_processus(request.activation)
        if not self._a_decider(suspension):
            return self.terminer("Suspension déjà traitée : tâche terminée.")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        parcours = self.get_parcours()
        d = form.cleaned_data
        try:
            with transaction.atomic():
                if d["decision"] == "renouveler":
                    s = suivi.renouveler_suspension(
                        parcours, self.request.user, motif=d["motif"], fin_prevue=d["fin_prevue"]
                    )
                    message = f"Suspension renouvelée jusqu'au {s.fin_prevue:%d/%m/%Y}."
                else:
                    suivi.lever_suspension(parcours, self.request.user, motif=d["motif"])
                    message = "Suspension levée : le parcours reprend."
        except ValidationError as exc:
            for champ, messages_champ in exc.message_dict.items():
                for m in messages_champ:
                    form.add_error(champ if champ in form.fields else None, m)
            return self.form_invalid(form)
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        return self.terminer(f"{parcours.participant} : {message}")
