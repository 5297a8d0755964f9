"""Les formulaires des tâches d'une candidature (CandidatureFlow) : éligibilité, positionnement,
décision de l'entreprise, embauche, inscription de l'embauche au parcours."""

from django import forms

from parcours.emploi.enums import TypeContrat
from workflows.clauses.forms.communs import DATE
from workflows.formulaires import SaisieControleeMixin


class VerifierEligibiliteForm(SaisieControleeMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("eligible", "Éligible à la clause"), ("non_eligible", "Non éligible")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour « non éligible », et pour confirmer une personne que les "
        "critères du référentiel ne retiennent pas.",
    )


class PositionnerForm(SaisieControleeMixin, forms.Form):
    motif = forms.CharField(
        label="Commentaire (CV validé, entretien prévu…)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionEntrepriseForm(SaisieControleeMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision de l'entreprise",
        choices=[("retenue", "Candidature retenue"), ("non_retenue", "Candidature non retenue")],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        donnees = super().clean()
        if donnees.get("decision") == "non_retenue" and not (donnees.get("motif") or "").strip():
            self.add_error("motif", "Indiquez pourquoi l'entreprise n'a pas retenu la candidature.")
        return donnees


class EmbaucheForm(SaisieControleeMixin, forms.Form):
    date_embauche = forms.DateField(label="Date d'embauche", widget=DATE)
    type_contrat = forms.ChoiceField(label="Type de contrat", choices=TypeContrat.choices)
    employeur = forms.CharField(
        label="Employeur",
        max_length=200,
        help_text="L'attributaire, ou la SIAE, le GEIQ, l'agence d'intérim qui embauche.",
    )
    date_fin = forms.DateField(label="Fin du contrat", required=False, widget=DATE)
    heures_hebdo = forms.DecimalField(
        label="Heures par semaine", required=False, min_value=0, max_value=48, decimal_places=2
    )

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_embauche"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin du contrat doit suivre la date d'embauche.")
        return donnees


class InscrireAuParcoursForm(SaisieControleeMixin, forms.Form):
    type_etape = forms.ChoiceField(label="Type d'étape du parcours")
    intitule = forms.CharField(label="Intitulé de l'étape", max_length=200, required=False)
    # La période d'essai dit quand l'embauche est confirmée (tableau de bord du facilitateur) et
    # quand le CRE doit avoir visité l'employeur (suivi dans l'emploi).
    periode_essai_jours = forms.IntegerField(
        label="Période d'essai (jours)", required=False, min_value=0, max_value=365
    )

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type_etape"].choices = types
