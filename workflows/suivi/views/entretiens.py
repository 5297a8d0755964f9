"""Les entretiens et contacts du parcours : la liste, l'enregistrement (une absence injustifiée
crée les relances du référent), la feuille d'émargement.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import generic

from parcours.accompagnement import suivi
from workflows.suivi.forms import (
    EmargementForm,
    EntretienForm,
)
from workflows.suivi.views.commun import SuiviMixin, reporter
from workflows.taches import ERREURS_METIER


class EntretiensView(SuiviMixin, generic.TemplateView):
    """Les entretiens et contacts du parcours ; déposer une feuille d'émargement manquante."""

    template_name = "suivi/entretiens.html"
    onglet = "entretiens"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context["entretiens"] = list(parcours.entretiens.select_related("auteur"))
        context["delais"] = suivi.delais_de_suivi(parcours.plie_id)
        if self.peut_agir():
            context.setdefault("form_emargement", EmargementForm())
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        form = EmargementForm(request.POST, request.FILES)
        if form.is_valid():
            entretien = get_object_or_404(
                self.get_parcours().entretiens, pk=form.cleaned_data["entretien"]
            )
            entretien.parcours = self.get_parcours()
            try:
                suivi.deposer_emargement(entretien, request.user, form.cleaned_data["emargement"])
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("entretiens", "Feuille d'émargement déposée.")
        return self.render_to_response(self.get_context_data(form_emargement=form))


class EntretienCreateView(SuiviMixin, generic.FormView):
    template_name = "suivi/entretien_form.html"
    form_class = EntretienForm
    onglet = "entretiens"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.exiger_droit_d_agir()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            entretien = suivi.enregistrer_entretien(
                self.get_parcours(), self.request.user, **form.cleaned_data
            )
        except (ValidationError, *ERREURS_METIER) as exc:
            reporter(form, exc)
            return self.form_invalid(form)
        quand = timezone.localtime(entretien.date)
        message = f"{entretien.get_canal_display()} du {quand:%d/%m/%Y} enregistré."
        if entretien.presence == "absent_injustifie":
            message += " Les relances prévues sont dans la boîte de tâches du référent."
        return self.retour("entretiens", message)
