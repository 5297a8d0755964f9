"""Formulaires des écrans de l'emploi et de la sortie (les services font les vrais contrôles)."""

from django import forms

from parcours.accompagnement.enums import CanalContact, TypeSortie
from parcours.emploi.enums import TypeContrat
from parcours.emploi.models import SituationSortie
from workflows.formulaires import ChampFichier, SaisieControleeMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContratForm(SaisieControleeMixin, forms.Form):
    type = forms.ChoiceField(label="Type de contrat", choices=TypeContrat.choices)
    employeur = forms.CharField(
        label="Employeur (ou agence d'intérim)",
        max_length=200,
        widget=forms.TextInput(attrs={"list": "employeurs-connus"}),
    )
    client = forms.CharField(
        label="Entreprise utilisatrice (intérim, ETTI, AI)", max_length=200, required=False
    )
    debut = forms.DateField(label="Début", widget=DATE)
    fin = forms.DateField(label="Fin (vide si en cours)", widget=DATE, required=False)
    heures_hebdo = forms.DecimalField(
        label="Heures par semaine", max_digits=4, decimal_places=2, required=False
    )
    heures = forms.DecimalField(
        label="Heures réalisées (missions d'intérim)",
        max_digits=7,
        decimal_places=2,
        required=False,
    )
    periode_essai_jours = forms.IntegerField(
        label="Période d'essai (jours)", required=False, min_value=1
    )
    temps_partiel_choisi = forms.BooleanField(
        label="Temps partiel choisi par le participant", required=False
    )
    justificatif = ChampFichier(label="Justificatif", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def donnees(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("justificatif", "version")}


class TerminerContratForm(SaisieControleeMixin, forms.Form):
    fin = forms.DateField(label="Date de fin", widget=DATE)
    motif = forms.CharField(
        label="Motif (fin de mission, rupture, démission…)", max_length=500, required=False
    )
    rompre = forms.BooleanField(
        label="La personne n'a plus d'emploi : retour en accompagnement (rupture)",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PropositionSortieForm(SaisieControleeMixin, forms.Form):
    type_sortie = forms.ChoiceField(label="Type de sortie", choices=TypeSortie.choices)
    date_sortie = forms.DateField(label="Date de sortie", widget=DATE)
    commentaire = forms.CharField(
        label="Éléments à l'appui (pour la commission)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    relais = forms.CharField(
        label="Accompagnement relais recherché (obligatoire pour une sortie « autre »)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    justificatif = ChampFichier(label="Justificatif", required=False)


class DonneesSortieForm(SaisieControleeMixin, forms.Form):
    situation = forms.ChoiceField(
        label="Situation à la sortie", choices=SituationSortie.choices, widget=forms.RadioSelect
    )
    type_contrat = forms.ChoiceField(
        label="Type de contrat (en emploi)",
        choices=[("", "—"), *TypeContrat.choices],
        required=False,
    )
    employeur = forms.CharField(label="Employeur", max_length=200, required=False)
    temps_plein = forms.NullBooleanField(
        label="À temps plein",
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", "Oui"), ("false", "Non")]),
    )
    intitule_formation = forms.CharField(label="Formation suivie", max_length=200, required=False)
    qualification_obtenue = forms.BooleanField(
        label="Qualification obtenue (diplôme, titre, certificat)", required=False
    )
    intitule_qualification = forms.CharField(
        label="Qualification obtenue : intitulé", max_length=200, required=False
    )
    precision = forms.CharField(
        label="Précisions", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CompteRenduForm(SaisieControleeMixin, forms.Form):
    date_contact = forms.DateField(label="Date du contact", widget=DATE)
    compte_rendu = forms.CharField(
        label="Compte rendu (ce qui a été dit, points de vigilance)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ContactMensuelForm(CompteRenduForm):
    canal = forms.ChoiceField(
        label="Canal du contact", choices=CanalContact.choices, initial=CanalContact.TELEPHONE
    )


def erreurs_dans(form, exc):
    """Les messages d'une erreur du domaine (`ValidationError`) sur le formulaire : par champ
    quand le champ y est, sinon en tête."""
    for champ, liste in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        for m in liste:
            form.add_error(champ if champ in form.fields else None, m)
