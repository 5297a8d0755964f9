"""Le formulaire des bilans : la période (mois de début et de fin, AAAA-MM)."""

from django import forms

from parcours.clauses.heures import lire_mois
from parcours.clauses.rapports import Periode
from workflows.formulaires import SaisieControleeMixin


class PeriodeForm(SaisieControleeMixin, forms.Form):
    debut = forms.CharField(label="Du mois", required=False)
    fin = forms.CharField(label="Au mois", required=False)

    def _mois(self, champ):
        texte = (self.cleaned_data.get(champ) or "").strip()
        if not texte:
            return None
        mois = lire_mois(texte)
        if mois is None:
            raise forms.ValidationError("Mois attendu au format AAAA-MM. Années de 1900 à 2100.")
        return mois

    def clean_debut(self):
        return self._mois("debut")

    def clean_fin(self):
        return self._mois("fin")

    def periode(self) -> Periode:
        if not self.is_valid():
            return Periode()
        return Periode(self.cleaned_data["debut"], self.cleaned_data["fin"])
