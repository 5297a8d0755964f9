"""Formulaires des clauses : messages d'erreur en français, choix limités au périmètre."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError

from parcours import acces
from parcours.clauses.models import (
    Besoin,
    CandidatExterne,
    DonneurOrdre,
    Lot,
    Marche,
    Operation,
)
from parcours.core.form_mixins import SaisieControleeMixin
from parcours.core.models import PLIE, Structure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def signature(instance) -> str:
    """L'empreinte des valeurs d'un objet : relue à l'enregistrement, elle révèle qu'une autre
    personne l'a modifié entre-temps (rien n'est écrasé en silence)."""
    valeurs = [
        f"{f.attname}={getattr(instance, f.attname)!r}" for f in instance._meta.concrete_fields
    ]
    return hashlib.sha256("|".join(valeurs).encode()).hexdigest()[:32]


class VersionMixin(SaisieControleeMixin, forms.Form):
    """Un champ caché porte l'empreinte de l'objet lu ; la vue la compare à l'objet verrouillé."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["version"].initial = signature(instance)


def plies_facilites(user):
    ids = acces.perimetre(user).plies(acces.ROLES_FACILITATION)
    qs = PLIE.objects.all() if user.is_superuser else PLIE.objects.filter(pk__in=ids)
    return qs.order_by("nom")


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
        from parcours.entreprises.models import Entreprise

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


class BesoinForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = Besoin
        fields = [
            "marche",
            "lot",
            "poste",
            "description",
            "nb_postes",
            "type_contrat",
            "date_debut",
            "date_fin",
        ]
        widgets = {"date_debut": DATE, "date_fin": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        marches = Marche.objects.filter(plie__in=plies_facilites(user))
        self.fields["marche"].queryset = marches
        self.fields["lot"].queryset = Lot.objects.filter(marche__in=marches).select_related(
            "marche"
        )

    def clean_nb_postes(self):
        nb = self.cleaned_data["nb_postes"]
        if nb is not None and nb < 1:
            raise ValidationError("Un besoin porte au moins un poste.")
        return nb

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La date de fin doit être postérieure à la date de début.")
        lot, marche = donnees.get("lot"), donnees.get("marche")
        if lot and marche and lot.marche_id != marche.pk:
            self.add_error("lot", "Ce lot n'appartient pas au marché choisi.")
        return donnees


class CandidatExterneForm(SaisieControleeMixin, forms.ModelForm):
    """Une personne hors PLIE : le strict nécessaire pour l'éligibilité et les bilans."""

    prefix = "externe"

    class Meta:
        model = CandidatExterne
        fields = [
            "nom",
            "prenom",
            "date_naissance",
            "sexe",
            "commune_insee",
            "commune_nom",
            "rsa",
            "qpv",
            "rqth",
            "rqth_jusqu_au",
            "deld",
            "salarie_iae",
            "niveau_qualification",
        ]
        widgets = {"date_naissance": DATE, "rqth_jusqu_au": DATE}

    def clean_commune_insee(self):
        from parcours.referentiel.validation import INSEE

        insee = self.cleaned_data["commune_insee"].strip().upper()
        if insee and not INSEE.match(insee):
            raise ValidationError("Un code INSEE de commune a 5 caractères (ex. 47001).")
        return insee

    def clean(self):
        donnees = super().clean()
        if donnees.get("rqth_jusqu_au") and not donnees.get("rqth"):
            self.add_error("rqth_jusqu_au", "Une date de validité RQTH suppose une RQTH.")
        if donnees.get("rqth") and not donnees.get("rqth_jusqu_au"):
            self.add_error(
                "rqth_jusqu_au", "Indiquez la fin de validité de la RQTH (elle est vérifiée)."
            )
        return donnees


class PropositionForm(SaisieControleeMixin, forms.Form):
    """Proposer quelqu'un : un participant (parmi les siens) ou un candidat externe."""

    participant = forms.ModelChoiceField(
        label="Participant du PLIE", queryset=None, required=False, empty_label="— aucun —"
    )
    candidat_externe = forms.ModelChoiceField(
        label="Candidat externe déjà enregistré",
        queryset=None,
        required=False,
        empty_label="— aucun —",
    )
    nouveau = forms.BooleanField(
        label="Enregistrer une nouvelle personne hors PLIE", required=False
    )
    commentaire = forms.CharField(
        label="Commentaire pour le facilitateur",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, participants, externes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["candidat_externe"].queryset = externes

    def clean(self):
        donnees = super().clean()
        choisis = [
            bool(donnees.get("participant")),
            bool(donnees.get("candidat_externe")),
            bool(donnees.get("nouveau")),
        ]
        if sum(choisis) != 1:
            raise ValidationError(
                "Choisissez une seule personne : un participant, un candidat externe déjà "
                "enregistré, ou une nouvelle personne."
            )
        return donnees
