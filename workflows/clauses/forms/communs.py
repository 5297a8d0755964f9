"""Ce que partagent les formulaires des clauses : le champ date, l'empreinte de version qui
révèle une modification concurrente."""

import hashlib

from django import forms

from workflows.formulaires import SaisieControleeMixin

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
