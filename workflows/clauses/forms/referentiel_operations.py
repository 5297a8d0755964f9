"""Les formulaires du référentiel des opérations : donneurs d'ordre, opérations, marchés, lots.
Messages d'erreur en français, choix limités aux PLIE où l'utilisateur facilite les clauses."""

from django import forms
from django.core.exceptions import ValidationError

from parcours.clauses.models import DonneurOrdre, Lot, Marche, Operation
from parcours.core.models import Structure
from parcours.entreprises.models import Entreprise
from workflows.clauses.forms.communs import DATE, VersionMixin
from workflows.clauses.plies import plies_facilites


class DonneurOrdreForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = DonneurOrdre
        fields = ["plie", "nom", "type", "structure"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plie"].queryset = plies_facilites(user)
        self.fields["plie"].empty_label = None
        self.fields["structure"].queryset = Structure.objects.filter(
            plie__in=self.fields["plie"].queryset
        ).select_related("plie")
        if self.instance.pk:
            self.fields["plie"].disabled = True

    def clean(self):
        donnees = super().clean()
        plie, structure, nom = donnees.get("plie"), donnees.get("structure"), donnees.get("nom")
        if plie and structure and structure.plie_id != plie.pk:
            self.add_error("structure", "Cette structure n'appartient pas au PLIE choisi.")
        if (
            plie
            and nom
            and DonneurOrdre.objects.filter(plie=plie, nom__iexact=nom.strip())
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("nom", "Un donneur d'ordre de ce PLIE porte déjà ce nom.")
        return donnees


class OperationForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["donneur_ordre", "nom", "description", "date_debut", "date_fin"]
        widgets = {"date_debut": DATE, "date_fin": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donneur_ordre"].queryset = DonneurOrdre.objects.filter(
            plie__in=plies_facilites(user)
        ).select_related("plie")
        self.fields["donneur_ordre"].empty_label = "— choisir —"

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La date de fin doit être postérieure à la date de début.")
        do, nom = donnees.get("donneur_ordre"), donnees.get("nom")
        if (
            do
            and nom
            and Operation.objects.filter(donneur_ordre=do, nom__iexact=nom.strip())
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("nom", "Ce donneur d'ordre a déjà une opération de ce nom.")
        return donnees


class MarcheForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = Marche
        fields = [
            "operation",
            "numero",
            "intitule",
            "modalite_clause",
            "heures_prevues",
            "date_debut",
            "date_fin",
            "attributaire",
            "sous_traitants",
            "modalite_execution",
        ]
        widgets = {"date_debut": DATE, "date_fin": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        plies = plies_facilites(user)
        self.fields["operation"].queryset = Operation.objects.filter(
            donneur_ordre__plie__in=plies
        ).select_related("donneur_ordre")
        entreprises = Entreprise.objects.filter(plie__in=plies).order_by("raison_sociale")
        self.fields["attributaire"].queryset = entreprises
        self.fields["sous_traitants"].queryset = entreprises
        self.fields["sous_traitants"].widget = forms.CheckboxSelectMultiple()
        self.fields["sous_traitants"].widget.choices = self.fields["sous_traitants"].choices

    def clean_heures_prevues(self):
        heures = self.cleaned_data["heures_prevues"]
        if heures is not None and heures < 0:
            raise ValidationError("Les heures prévues ne peuvent pas être négatives.")
        return heures

    def clean(self):
        donnees = super().clean()
        operation = donnees.get("operation")
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La date de fin doit être postérieure à la date de début.")
        if operation is None:
            return donnees
        plie_id = operation.donneur_ordre.plie_id
        attributaire = donnees.get("attributaire")
        if attributaire and attributaire.plie_id != plie_id:
            self.add_error("attributaire", "Cette entreprise n'est pas du PLIE de l'opération.")
        if any(e.plie_id != plie_id for e in donnees.get("sous_traitants") or []):
            self.add_error("sous_traitants", "Un sous-traitant n'est pas du PLIE de l'opération.")
        if attributaire and attributaire in (donnees.get("sous_traitants") or []):
            self.add_error("sous_traitants", "L'attributaire ne peut pas être son sous-traitant.")
        numero = (donnees.get("numero") or "").strip()
        if (
            numero
            and Marche.objects.filter(plie_id=plie_id, numero__iexact=numero)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("numero", "Un marché de ce PLIE porte déjà ce numéro.")
        return donnees


class LotForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["numero", "intitule", "heures_prevues"]

    def __init__(self, *args, marche, **kwargs):
        super().__init__(*args, **kwargs)
        self.marche = marche

    def clean_heures_prevues(self):
        heures = self.cleaned_data["heures_prevues"]
        if heures is not None and heures < 0:
            raise ValidationError("Les heures prévues ne peuvent pas être négatives.")
        return heures

    def clean_numero(self):
        numero = self.cleaned_data["numero"].strip()
        if self.marche.lots.filter(numero__iexact=numero).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Ce marché a déjà un lot de ce numéro.")
        return numero
