"""Les étapes du parcours : la liste (ce qui manque pour les justifier), l'ajout, une étape (la
modifier, déposer ses preuves).
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import generic

from parcours.accompagnement import suivi
from parcours.accompagnement.models import Etape, JournalEtape, PreuveEtape
from parcours.accompagnement.suivi.etapes import actions_financees
from workflows.suivi.forms import (
    EtapeForm,
    EtapeModifierForm,
    PreuveForm,
)
from workflows.suivi.views.commun import SuiviMixin, reporter
from workflows.taches import ERREURS_METIER


class EtapesView(SuiviMixin, generic.TemplateView):
    """Les étapes du parcours, leurs preuves et ce qui manque ; ajouter une étape."""

    template_name = "suivi/etapes.html"
    onglet = "etapes"

    def catalogue(self):
        if not hasattr(self, "_catalogue"):
            self._catalogue = suivi.catalogue_etapes(self.get_parcours().plie_id)
        return self._catalogue

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        catalogue = self.catalogue()
        etapes = list(
            self.get_parcours()
            .etapes.select_related("created_by")
            .prefetch_related(Prefetch("preuves", queryset=PreuveEtape.objects.order_by("id")))
        )
        for etape in etapes:
            etape.manquantes = suivi.message_preuves_manquantes(etape, catalogue)
        context.update(
            etapes=etapes,
            comptees=sum(1 for e in etapes if e.compte and e.statut != "abandonnee"),
            catalogue=catalogue,
        )
        if self.peut_agir():
            context.setdefault("form", EtapeForm(catalogue=catalogue, operations=self.operations()))
        return context

    def operations(self):
        return list(actions_financees(self.get_parcours().plie_id).order_by("numero"))

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        form = EtapeForm(request.POST, catalogue=self.catalogue(), operations=self.operations())
        if form.is_valid():
            try:
                etape = suivi.ajouter_etape(self.get_parcours(), request.user, **form.cleaned_data)
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("etapes", f"Étape « {etape.titre} » ajoutée.")
        return self.render_to_response(self.get_context_data(form=form))


class EtapeView(SuiviMixin, generic.TemplateView):
    """Une étape : la modifier (garde contre les modifications concurrentes), déposer ses
    preuves."""

    template_name = "suivi/etape.html"
    onglet = "etapes"

    def get_etape(self) -> Etape:
        if not hasattr(self, "_etape"):
            self._etape = get_object_or_404(
                Etape.objects.select_related(
                    "created_by", "updated_by", "operation"
                ).prefetch_related(
                    Prefetch(
                        "preuves",
                        queryset=PreuveEtape.objects.select_related("deposee_par").order_by("id"),
                    ),
                    Prefetch("journal", queryset=JournalEtape.objects.select_related("par")),
                ),
                pk=self.kwargs["etape_pk"],
                parcours=self.get_parcours(),
            )
            self._etape.parcours = self.get_parcours()
        return self._etape

    def catalogue(self):
        if not hasattr(self, "_catalogue"):
            self._catalogue = suivi.catalogue_etapes(self.get_parcours().plie_id)
        return self._catalogue

    def formulaires(self, data=None, files=None, section=None):
        etape = self.get_etape()
        initial = {
            champ: getattr(etape, champ)
            for champ in ("intitule", "prestataire", "operation_id", "date_debut", "date_fin")
        }
        initial["statut"] = etape.statut
        initial.update(type_code=etape.type_code, commentaire=etape.commentaire)
        initial["version"] = etape.version
        return {
            "modifier": EtapeModifierForm(
                data if section == "modifier" else None,
                catalogue=self.catalogue(),
                operations=actions_financees(etape.parcours.plie_id).order_by("numero"),
                initial=initial,
            ),
            "preuve": PreuveForm(
                data if section == "preuve" else None,
                files if section == "preuve" else None,
                type_etape=self.catalogue().type(etape.type_code),
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        etape = self.get_etape()
        catalogue = self.catalogue()
        context.update(
            etape=etape,
            type_etape=catalogue.type(etape.type_code),
            manquantes=suivi.message_preuves_manquantes(etape, catalogue),
        )
        if self.peut_agir():
            context.setdefault("forms", self.formulaires())
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        section = request.POST.get("section")
        forms = self.formulaires(request.POST, request.FILES, section)
        form = forms.get(section)
        if form is None:
            return HttpResponseRedirect(request.path)
        if form.is_valid():
            etape = self.get_etape()
            try:
                if section == "modifier":
                    donnees = dict(form.cleaned_data)
                    etape = suivi.modifier_etape(etape, request.user, **donnees)
                    message = f"Étape « {etape.titre} » enregistrée."
                else:
                    preuve = suivi.deposer_preuve(
                        etape,
                        request.user,
                        type_preuve=form.cleaned_data["type_preuve"],
                        fichier=form.cleaned_data["fichier"],
                    )
                    message = f"Preuve « {preuve.libelle} » déposée."
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("etape", message, etape_pk=etape.pk)
        return self.render_to_response(self.get_context_data(forms=forms, section=section))
