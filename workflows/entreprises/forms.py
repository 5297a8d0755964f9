"""Les formulaires des relations entreprises ; la validation métier est dans les services."""

from django import forms

from parcours.emploi.enums import TypeContrat
from parcours.entreprises.enums import CanalDiffusion
from parcours.entreprises.models import (
    ContactEntreprise,
    Entreprise,
    Evenement,
    OffreEmploi,
)
from parcours.entreprises.siret import normaliser_siret
from workflows import autocompletion
from workflows.autocompletion import ChampAutocompletion, ChampAutocompletionMultiple
from workflows.formulaires import ChampFichier, SaisieControleeMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_HEURE = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EntrepriseForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = Entreprise
        fields = [
            "raison_sociale",
            "siret",
            "secteur",
            "tranche_effectif",
            "partenaire",
            "adresse",
            "commune",
        ]

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        # Saisie tolérante (espaces, points) : le SIRET est normalisé par le modèle.
        self.fields["siret"].max_length = 20
        self.fields["siret"].validators = []
        self.fields["siret"].widget.attrs["maxlength"] = 20
        if plies is not None and len(plies) > 1:
            self.fields["plie"] = forms.ModelChoiceField(label="PLIE", queryset=plies)

    def clean_siret(self):
        return normaliser_siret(self.cleaned_data["siret"])


class ContactForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = ContactEntreprise
        fields = ["date", "canal", "interlocuteur", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class OffreForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = OffreEmploi
        fields = [
            "intitule",
            "type_contrat",
            "lieu",
            "heures_hebdo",
            "nb_postes",
            "date_limite",
            "description",
        ]
        widgets = {"date_limite": DATE, "description": forms.Textarea(attrs={"rows": 4})}


def _nom_du_compte(user) -> str:
    return user.get_full_name() or user.username


class DiffusionForm(SaisieControleeMixin, forms.Form):
    # Autocomplétion, une ligne par destinataire : les référents et les structures d'un PLIE ne
    # sont pas énumérés (issue 11, docs/entreprises.md).
    canal = forms.ChoiceField(label="Comment", choices=CanalDiffusion.choices)
    referents = ChampAutocompletionMultiple(
        label="Référents", queryset=None, required=False, vides=5, libelle=_nom_du_compte
    )
    structures = ChampAutocompletionMultiple(
        label="Structures (tous leurs référents)", queryset=None, required=False, vides=3
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, referents, structures, plie_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referents"].queryset = referents
        self.fields["referents"].widget.url = autocompletion.url("referents", plie_id) + "&etape=1"
        self.fields["structures"].queryset = structures
        self.fields["structures"].widget.url = autocompletion.url("structures", plie_id)

    def clean(self):
        donnees = super().clean()
        if not donnees.get("referents") and not donnees.get("structures"):
            raise forms.ValidationError(
                "Choisissez au moins un référent ou une structure destinataire."
            )
        return donnees


class MotifForm(SaisieControleeMixin, forms.Form):
    motif = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 2}))


class PropositionForm(SaisieControleeMixin, forms.Form):
    # Autocomplétion : les personnes d'un PLIE ne sont pas énumérées (docs/architecture.md).
    parcours = ChampAutocompletion(label="Personne accompagnée", queryset=None)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, parcours, url, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parcours"].queryset = parcours
        # Les personnes que l'on peut proposer sur cette offre (en emploi à part, en dernier).
        self.fields["parcours"].widget.url = url


class EntretienForm(SaisieControleeMixin, forms.Form):
    date_entretien = forms.DateTimeField(label="Date de l'entretien", widget=DATE_HEURE)
    motif = forms.CharField(label="Note", required=False)


class ReponseForm(SaisieControleeMixin, forms.Form):
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EmbaucheForm(SaisieControleeMixin, forms.Form):
    type = forms.ChoiceField(label="Type de contrat", choices=TypeContrat.choices)
    debut = forms.DateField(label="Début", widget=DATE)
    fin = forms.DateField(label="Fin", required=False, widget=DATE)
    heures_hebdo = forms.DecimalField(
        label="Heures par semaine", required=False, max_digits=4, decimal_places=2
    )
    periode_essai_jours = forms.IntegerField(
        label="Période d'essai (jours)", required=False, min_value=1, max_value=366
    )


class EvenementForm(SaisieControleeMixin, forms.ModelForm):
    # Autocomplétion, une ligne par entreprise : le réseau d'un PLIE n'est pas énuméré.
    entreprises = ChampAutocompletionMultiple(
        label="Entreprises", queryset=None, required=False, vides=5
    )

    class Meta:
        model = Evenement
        fields = ["type", "titre", "date", "lieu", "entreprises"]
        widgets = {"date": DATE_HEURE}

    def __init__(self, *args, entreprises, plies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entreprises"].queryset = entreprises
        self.fields["entreprises"].widget.url = autocompletion.url("entreprises")
        if plies is not None and len(plies) > 1:
            self.fields["plie"] = forms.ModelChoiceField(label="PLIE", queryset=plies)


class EmargementForm(SaisieControleeMixin, forms.Form):
    parcours = ChampAutocompletion(label="Personne présente", queryset=None, required=False)
    feuille = ChampFichier(label="Feuille d'émargement signée", required=False)

    def __init__(self, *args, parcours, plie_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parcours"].queryset = parcours
        self.fields["parcours"].widget.url = autocompletion.url("parcours", plie_id)
