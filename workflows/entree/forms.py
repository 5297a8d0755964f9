"""Les formulaires de l'entrée : prescription (identité, situation, doublons), recevabilité,
premier entretien (contrat d'engagement, signatures, questionnaire FSE+, pièces)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.accompagnement.models import Prescription
from parcours.core.fichiers import FORMATS_CV, TAILLE_MAX_CV, aide
from parcours.participants.enums import Frein, Sexe, StatutSocial
from workflows.formulaires import ChampFichier, SaisieControleeMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def pas_dans_le_futur(valeur, libelle):
    if valeur and valeur > timezone.localdate():
        raise ValidationError(f"{libelle} ne peut pas être dans le futur ({valeur:%d/%m/%Y}).")


class SituationForm(SaisieControleeMixin, forms.ModelForm):
    """La situation de la personne : ce que le moteur d'éligibilité évalue."""

    freins = forms.MultipleChoiceField(
        label="Freins", choices=Frein.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Prescription
        fields = [
            "motif",
            "sans_emploi_depuis",
            "niveau_qualification",
            "bac",
            "rqth_jusqu_au",
            "suivi_mission_locale",
            "suivi_cap_emploi",
            "via_clause",
            "freins",
        ]
        widgets = {
            "motif": forms.Textarea(attrs={"rows": 3}),
            "sans_emploi_depuis": DateInput(),
            "rqth_jusqu_au": DateInput(),
        }
        help_texts = {"sans_emploi_depuis": "Laisser vide si la personne travaille actuellement."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Un statut par case à cocher, avec sa date de début.
        initiaux = {}
        if self.instance.pk:
            initiaux = {s.code: s.depuis for s in self.instance.statuts.all()}
        for code, libelle in StatutSocial.choices:
            self.fields[f"statut_{code}"] = forms.BooleanField(
                label=libelle, required=False, initial=code in initiaux
            )
            self.fields[f"statut_{code}_depuis"] = forms.DateField(
                label="depuis le",
                required=False,
                # Le libellé visible est court ; le lecteur d'écran entend de quel statut il s'agit.
                widget=DateInput(attrs={"aria-label": f"{libelle} : depuis le"}),
                initial=initiaux.get(code),
            )

    def clean_sans_emploi_depuis(self):
        valeur = self.cleaned_data["sans_emploi_depuis"]
        pas_dans_le_futur(valeur, "La date de fin du dernier emploi")
        return valeur

    def clean(self):
        cleaned = super().clean()
        for code, libelle in StatutSocial.choices:
            depuis = cleaned.get(f"statut_{code}_depuis")
            try:
                pas_dans_le_futur(depuis, "La date de début du statut")
            except ValidationError as exc:
                self.add_error(f"statut_{code}_depuis", exc)
            if depuis and not cleaned.get(f"statut_{code}"):
                self.add_error(f"statut_{code}", f"Cochez « {libelle} » ou effacez sa date.")
        return cleaned

    def statuts_coches(self) -> list[tuple[str, datetime.date | None]]:
        return [
            (code, self.cleaned_data.get(f"statut_{code}_depuis"))
            for code in StatutSocial.values
            if self.cleaned_data.get(f"statut_{code}")
        ]

    def champs_statuts(self):
        return [
            (self[f"statut_{code}"], self[f"statut_{code}_depuis"]) for code in StatutSocial.values
        ]

    def situation(self) -> dict:
        return {champ: self.cleaned_data[champ] for champ in self.Meta.fields}


class IdentiteForm(SaisieControleeMixin, forms.Form):
    nom = forms.CharField(label="Nom", max_length=150)
    prenom = forms.CharField(label="Prénom", max_length=150)
    nom_naissance = forms.CharField(label="Nom de naissance", max_length=150, required=False)
    date_naissance = forms.DateField(label="Date de naissance", widget=DateInput())
    sexe = forms.ChoiceField(label="Sexe", choices=Sexe.choices)
    telephone = forms.CharField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    adresse = forms.CharField(label="Adresse", max_length=300, required=False)
    commune = forms.ChoiceField(label="Commune de résidence")
    cv = ChampFichier(
        label="CV",
        required=False,
        formats=FORMATS_CV,
        taille_max=TAILLE_MAX_CV,
        help_text="Facultatif. " + aide(FORMATS_CV, TAILLE_MAX_CV),
    )

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = {c.insee: c for c in communes}
        self.fields["commune"].choices = (
            [("", "— Choisir —")]
            + [(c.insee, f"{c.nom} ({c.insee})") for c in communes]
            + [("hors", "Autre commune, hors du territoire du PLIE")]
        )

    def clean_date_naissance(self):
        valeur = self.cleaned_data["date_naissance"]
        pas_dans_le_futur(valeur, "La date de naissance")
        if valeur.year < 1900:
            raise ValidationError("La date de naissance semble erronée.")
        return valeur

    def identite(self) -> dict:
        d = {
            k: self.cleaned_data[k]
            for k in (
                "nom",
                "prenom",
                "nom_naissance",
                "date_naissance",
                "sexe",
                "telephone",
                "email",
                "adresse",
            )
        }
        commune = self.communes.get(self.cleaned_data["commune"])
        d["commune_insee"] = commune.insee if commune else ""
        d["commune_nom"] = commune.nom if commune else ""
        return d


class DoublonForm(SaisieControleeMixin, forms.Form):
    """Quand la personne ressemble à une personne connue : rattacher ou confirmer."""

    # La personne choisie parmi les correspondances affichées ; la vue vérifie qu'elle est visible.
    rattacher_a = forms.IntegerField(label="Personne", required=False)
    nouvelle_personne = forms.BooleanField(
        label="Il s'agit d'une autre personne : créer une nouvelle fiche", required=False
    )


class RecevabiliteForm(SaisieControleeMixin, forms.Form):
    DECISIONS = [
        ("recevable", "Recevable : à inscrire en commission d'entrée"),
        ("incomplet", "Incomplète : demander des compléments au prescripteur"),
        ("irrecevable", "Irrecevable"),
    ]
    decision = forms.ChoiceField(label="Décision", choices=DECISIONS, widget=forms.RadioSelect)
    motif = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour des compléments ou un refus ; transmis au prescripteur.",
    )
    derogation = forms.BooleanField(
        label="Accorder une dérogation aux critères d'éligibilité", required=False
    )
    derogation_motif = forms.CharField(
        label="Motif de la dérogation", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in ("incomplet", "irrecevable")
            and not cleaned.get("motif", "").strip()
        ):
            self.add_error("motif", "Indiquez le motif : il est transmis au prescripteur.")
        if cleaned.get("derogation") and not cleaned.get("derogation_motif", "").strip():
            self.add_error("derogation_motif", "Une dérogation doit être motivée.")
        return cleaned


class ContratForm(SaisieControleeMixin, forms.Form):
    objectifs = forms.CharField(
        label="Objectifs du parcours",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Repris dans le contrat d'engagement.",
    )


class SignaturesForm(SaisieControleeMixin, forms.Form):
    copie_signee = ChampFichier(label="Copie signée du contrat", required=False)

    def __init__(self, *args, contrat, **kwargs):
        super().__init__(*args, **kwargs)
        from parcours.accompagnement.models.engagement import CHAMPS_SIGNATURE, Signataire

        self.signataires = list(contrat.signataires)
        for code in self.signataires:
            self.fields[code] = forms.DateField(
                label=f"Signature par {Signataire(code).label}",
                required=False,
                widget=DateInput(),
                initial=getattr(contrat, CHAMPS_SIGNATURE[code]),
            )
        self.order_fields([*self.signataires, "copie_signee"])

    def dates(self) -> dict:
        return {code: self.cleaned_data.get(code) for code in self.signataires}


def questionnaire_form_class():
    from parcours.accompagnement.models import QuestionnaireFSE

    class QuestionnaireForm(SaisieControleeMixin, forms.ModelForm):
        """Toutes les réponses sont facultatives ici : le questionnaire s'enregistre en plusieurs
        fois ; le service dit ce qui est invalide et l'état d'engagement ce qui manque."""

        class Meta:
            model = QuestionnaireFSE
            fields = list(QuestionnaireFSE.CHAMPS)
            widgets = {"date_entree": DateInput()}

        def _post_clean(self):
            # La validation du modèle est faite par le service enregistrer_questionnaire.
            pass

    return QuestionnaireForm


class PieceForm(SaisieControleeMixin, forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    fichier = ChampFichier(label="Fichier")
