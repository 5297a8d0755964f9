"""La suspension (veille) du parcours : suspendre, renouveler, lever ; l'historique."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.views import generic

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import Statut
from workflows.suivi.forms import (
    LeverForm,
    RenouvelerForm,
    SuspendreForm,
)
from workflows.suivi.views.commun import SuiviMixin, reporter
from workflows.taches import ERREURS_METIER


class SuspensionView(SuiviMixin, generic.TemplateView):
    """Suspendre (veille), renouveler, lever ; l'historique des suspensions."""

    template_name = "suivi/suspension.html"
    onglet = "suspension"
    SECTIONS = {"suspendre": SuspendreForm, "renouveler": RenouvelerForm, "lever": LeverForm}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        suspensions = list(
            parcours.suspensions.select_related("par", "levee_par").prefetch_related(
                "journal_renouvellements__par"
            )
        )
        en_cours = next((s for s in suspensions if s.en_cours), None)
        context.update(
            suspensions=suspensions,
            en_cours=en_cours,
            delais=suivi.delais_de_suivi(parcours.plie_id),
            peut_suspendre=parcours.statut == Statut.EN_ACCOMPAGNEMENT,
            suspendu=parcours.statut == Statut.SUSPENDU,
        )
        if self.peut_agir():
            forms = context.setdefault("forms", {})
            for nom, classe in self.SECTIONS.items():
                forms.setdefault(nom, classe())
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        section = request.POST.get("section")
        if section not in self.SECTIONS:
            return HttpResponseRedirect(request.path)
        form = self.SECTIONS[section](request.POST)
        parcours = self.get_parcours()
        if form.is_valid():
            donnees = form.cleaned_data
            try:
                if section == "suspendre":
                    s = suivi.suspendre_parcours(parcours, request.user, **donnees)
                    message = f"Parcours suspendu jusqu'au {s.fin_prevue:%d/%m/%Y}."
                elif section == "renouveler":
                    s = suivi.renouveler_suspension(parcours, request.user, **donnees)
                    message = f"Suspension renouvelée jusqu'au {s.fin_prevue:%d/%m/%Y}."
                else:
                    suivi.lever_suspension(parcours, request.user, **donnees)
                    message = "Suspension levée : le parcours reprend."
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("suspension", message)
        return self.render_to_response(self.get_context_data(forms={section: form}))
