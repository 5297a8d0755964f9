"""Compléter les coordonnées d'un participant depuis le contrôle préalable (docs/fse.md)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.accompagnement.coordonnees import rectifier_coordonnees
from parcours.accompagnement.models import ParticipationFse
from parcours.core.errors import TransitionNonAutorisee
from parcours.core.models import Commune
from workflows.formulaires import SaisieControleeMixin
from workflows.fse.views import AccesMixin


class CoordonneesForm(SaisieControleeMixin, forms.Form):
    adresse = forms.CharField(label="Adresse", max_length=300, required=False)
    commune = forms.ChoiceField(label="Commune de résidence", required=False)
    telephone = forms.CharField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(label="Courriel", required=False)

    def __init__(self, *args, communes=(), actuelle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = {c.insee: c.nom for c in communes}
        if actuelle and actuelle[0] and actuelle[0] not in self.communes:
            self.communes[actuelle[0]] = actuelle[1]
        self.fields["commune"].choices = [("", "— choisir —")] + [
            (insee, f"{nom} ({insee})") for insee, nom in self.communes.items()
        ]

    def donnees(self) -> dict:
        insee = self.cleaned_data.get("commune") or ""
        return {
            "adresse": self.cleaned_data.get("adresse") or "",
            "commune_insee": insee,
            "commune_nom": self.communes.get(insee, ""),
            "telephone": self.cleaned_data.get("telephone") or "",
            "email": self.cleaned_data.get("email") or "",
        }


class CoordonneesView(AccesMixin, generic.FormView):
    template_name = "fse/coordonnees.html"
    form_class = CoordonneesForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.participation = get_object_or_404(
            ParticipationFse.objects.select_related(
                "operation", "parcours__participant", "parcours__plie"
            ).filter(parcours__in=acces.parcours_visibles(request.user)),
            pk=kwargs["pk"],
        )
        if not acces.peut_voir_les_participants_fse(request.user, self.participation.operation):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        p = self.participation.parcours.participant
        kwargs = super().get_form_kwargs()
        kwargs["communes"] = Commune.objects.filter(
            plie_id=self.participation.parcours.plie_id
        ).order_by("nom")
        kwargs["actuelle"] = (p.commune_insee, p.commune_nom)
        kwargs["initial"] = {
            "adresse": p.adresse,
            "commune": p.commune_insee,
            "telephone": p.telephone,
            "email": p.email,
        }
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(participation=self.participation, **kwargs)

    def form_valid(self, form):
        try:
            rectifier_coordonnees(self.participation.parcours, self.request.user, form.donnees())
        except ValidationError as exc:
            for champ, erreurs in exc.message_dict.items():
                champ = "commune" if champ.startswith("commune") else champ
                form.add_error(champ if champ in form.fields else None, erreurs)
            return self.form_invalid(form)
        except TransitionNonAutorisee as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, "Coordonnées enregistrées.")
        return HttpResponseRedirect(
            reverse("fse:operation", args=[self.participation.operation_id])
        )
