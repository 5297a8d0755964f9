"""Les formulaires des écrans de commission : planifier une session ; les champs postés par
l'écran de séance (écrits dans le gabarit), lus avant usage."""

from django import forms

from parcours.commissions.enums import TypeCommission
from parcours.core.enums import Role
from parcours.core.models import Membership, User
from workflows.autocompletion import identifiant_choisi
from workflows.formulaires import SaisieControleeMixin


class PlanifierForm(SaisieControleeMixin, forms.Form):
    date = forms.DateTimeField(
        label="Date et heure", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    type = forms.ChoiceField(
        label="Type", choices=TypeCommission.choices, initial=TypeCommission.ENTREE
    )
    territoire = forms.ModelChoiceField(label="Territoire", queryset=None, required=False)
    lieu = forms.CharField(label="Lieu", max_length=200, required=False)
    membres = forms.ModelMultipleChoiceField(label="Membres", queryset=None, required=False)
    president = forms.ModelChoiceField(label="Président·e", queryset=None, required=False)

    def __init__(self, *args, plie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = plie.territoires.all()
        # Peuvent siéger : membres de commission, animation et direction du PLIE.
        ids = (
            Membership.objects.actives()
            .filter(
                structure__plie=plie, role__in=[Role.COMMISSION, Role.ANIMATEUR, Role.DIRECTION]
            )
            .values("user_id")
        )
        sieges = User.objects.filter(pk__in=ids).order_by("last_name", "first_name")
        self.fields["membres"].queryset = sieges
        self.fields["president"].queryset = sieges


class InscriptionForm(SaisieControleeMixin, forms.Form):
    """Les champs postés par l'écran de séance (écrits dans le gabarit) : lus avant usage."""

    parcours = forms.IntegerField(label="Dossier", min_value=1)


class DecisionForm(InscriptionForm):
    decision = forms.CharField(label="Décision", max_length=30)
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea)
    referent = forms.IntegerField(label="Référent", required=False, min_value=1)
    autre_referent = forms.CharField(label="Autre référent", required=False, max_length=300)

    def clean_autre_referent(self):
        texte = self.cleaned_data["autre_referent"].strip()
        if not texte:
            return None
        pk = identifiant_choisi(texte)
        if pk is None:
            raise forms.ValidationError("choisissez une proposition de la liste.")
        return pk


class SaisieInvalide(Exception):
    """Un champ posté à l'écran de séance est invalide : le message nomme le champ."""

    def __init__(self, form):
        super().__init__(
            " ".join(
                f"{form.fields[nom].label} : {message}"
                for nom, messages_champ in form.errors.items()
                for message in messages_champ
            )
        )


def lire(form):
    """Les données du formulaire lues, ou `SaisieInvalide` qui nomme le champ fautif."""
    if not form.is_valid():
        raise SaisieInvalide(form)
    return form.cleaned_data
