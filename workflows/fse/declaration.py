"""Déclarer et modifier une opération FSE+ : l'animation, la direction ou l'administrateur du
PLIE (`acces.peut_declarer_operations_fse`) ; 404 pour les autres et hors de leur PLIE."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.core.enums import TypeStructure
from parcours.core.models import PLIE, Structure
from parcours.fse.models import OperationFse
from workflows.entree.forms import DateInput
from workflows.formulaires import SaisieControleeMixin
from workflows.fse.views import AccesMixin

TYPES_PORTEURS = [TypeStructure.PORTEUR, TypeStructure.OPERATEUR, TypeStructure.SIAE]


class OperationFseForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = OperationFse
        fields = ["plie", "numero", "libelle", "type", "structure_porteuse", "financeurs"]
        fields += ["debut", "fin"]
        widgets = {
            "debut": DateInput(),
            "fin": DateInput(),
            "financeurs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plie"].queryset = PLIE.objects.filter(pk__in=plies).order_by("nom")
        self.fields["plie"].empty_label = None
        if self.instance.pk:
            self.fields["plie"].disabled = True
        structures = Structure.objects.filter(plie_id__in=plies).select_related("plie")
        self.fields["structure_porteuse"].queryset = structures.filter(
            type__in=TYPES_PORTEURS
        ).order_by("nom")
        self.fields["financeurs"].queryset = structures.filter(
            type=TypeStructure.FINANCEUR
        ).order_by("nom")
        self.fields["financeurs"].required = False

    def clean(self):
        donnees = super().clean()
        plie = donnees.get("plie")
        if plie is None:
            return donnees
        porteuse = donnees.get("structure_porteuse")
        if porteuse and porteuse.plie_id != plie.pk:
            self.add_error("structure_porteuse", "Cette structure n'est pas du PLIE choisi.")
        autres = [f.nom for f in donnees.get("financeurs") or [] if f.plie_id != plie.pk]
        if autres:
            self.add_error("financeurs", "Pas de ce PLIE : " + ", ".join(autres) + ".")
        numero = (donnees.get("numero") or "").strip()
        if (
            numero
            and OperationFse.objects.filter(plie=plie, numero=numero)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("numero", f"Le PLIE a déjà une opération numéro {numero}.")
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin de l'opération doit suivre son début.")
        return donnees


class DeclarationMixin(AccesMixin):
    template_name = "fse/operation_form.html"
    form_class = OperationFseForm

    def plies(self) -> set[int]:
        plies = acces.plies_declarant_operations_fse(self.request.user)
        if not plies:
            raise Http404("Page introuvable.")
        return plies

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plies": self.plies()}

    def get_success_url(self):
        messages.success(self.request, "Opération FSE+ enregistrée.")
        return reverse("fse:operation", args=[self.object.pk])


class OperationCreateView(DeclarationMixin, generic.CreateView):
    pass


class OperationUpdateView(DeclarationMixin, generic.UpdateView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            OperationFse.objects.filter(plie_id__in=self.plies()), pk=self.kwargs["pk"]
        )
