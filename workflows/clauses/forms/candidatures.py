"""Les formulaires des besoins et des candidatures : le besoin, la personne hors PLIE (le
strict nécessaire), la proposition d'une personne sur un besoin."""

from django import forms
from django.core.exceptions import ValidationError

from parcours.clauses.models import Besoin, CandidatExterne, Lot, Marche
from parcours.referentiel.validation import INSEE
from workflows import autocompletion
from workflows.autocompletion import ChampAutocompletion
from workflows.clauses.forms.communs import DATE
from workflows.clauses.plies import plies_facilites
from workflows.formulaires import SaisieControleeMixin


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

    # Autocomplétion : les participants d'un PLIE ne sont pas énumérés (docs/architecture.md).
    participant = ChampAutocompletion(label="Participant du PLIE", queryset=None, required=False)
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

    def __init__(self, *args, participants, externes, plie_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["participant"].widget.url = autocompletion.url("participants", plie_id)
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
