"""Le formulaire de la tâche « Traiter l'alerte »."""

from django import forms

from workflows.formulaires import SaisieControleeMixin


class TraiterAlerteForm(SaisieControleeMixin, forms.Form):
    commentaire = forms.CharField(
        label="Ce qui a été fait",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Par exemple : entretien fixé au 12/03, courrier de relance envoyé.",
    )
