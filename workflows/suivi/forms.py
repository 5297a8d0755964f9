"""Les formulaires du suivi : étapes, preuves, entretiens, suspension, référent, intérim, et ceux
des tâches du suivi (relance après une absence, échéance d'une suspension).

Les formulaires vérifient la forme (champs, formats) ; les règles (catalogue, dates cohérentes,
droits) sont celles des services (`parcours/accompagnement/suivi/`), dont les erreurs sont
réaffichées sous les champs concernés.
"""

from django import forms
from django.utils import timezone

from parcours.accompagnement.enums import CanalContact, MotifSuspension, Presence, StatutEtape
from parcours.core.fichiers import aide
from workflows import autocompletion
from workflows.autocompletion import ChampAutocompletion
from workflows.formulaires import ChampFichier, SaisieControleeMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _texte(label, required=False, rows=3, **kwargs):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class EtapeForm(SaisieControleeMixin, forms.Form):
    type_code = forms.ChoiceField(label="Type d'étape")
    intitule = forms.CharField(
        label="Intitulé", required=False, max_length=200, help_text="Sinon, le libellé du type."
    )
    prestataire = forms.CharField(label="Prestataire", required=False, max_length=200)
    operation_id = forms.TypedChoiceField(
        label="Action financée (opération FSE+)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="L'opération qui finance l'étape : son porteur en liste les participants.",
    )
    date_debut = forms.DateField(label="Date de début", widget=DateInput())
    date_fin = forms.DateField(label="Date de fin", required=False, widget=DateInput())
    statut = forms.ChoiceField(label="Statut", choices=StatutEtape.choices)
    commentaire = _texte("Commentaire")

    def __init__(self, *args, catalogue, operations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation_id"].choices = [("", "— Aucune —")] + [
            (o.pk, f"{o.numero} — {o.libelle}") for o in operations
        ]
        # Les types groupés par catégorie (<optgroup>), dans l'ordre du catalogue.
        self.fields["type_code"].choices = [("", "— Choisir un type d'étape —")] + [
            (categorie, [(t.code, t.libelle) for t in types])
            for categorie, types in catalogue.par_categorie()
        ]


class EtapeModifierForm(EtapeForm):
    # La version lue : une modification faite entre-temps par quelqu'un d'autre est refusée.
    version = forms.IntegerField(widget=forms.HiddenInput)


class PreuveForm(SaisieControleeMixin, forms.Form):
    type_preuve = forms.ChoiceField(label="Type de preuve")
    fichier = ChampFichier(label="Fichier")

    def __init__(self, *args, type_etape, **kwargs):
        super().__init__(*args, **kwargs)
        preuves = type_etape.preuves if type_etape else ()
        self.fields["type_preuve"].choices = [(p.code, p.libelle) for p in preuves]


class EntretienForm(SaisieControleeMixin, forms.Form):
    date = forms.DateTimeField(label="Date et heure", widget=DateTimeInput())
    canal = forms.ChoiceField(label="Canal", choices=CanalContact.choices)
    presence = forms.ChoiceField(
        label="Présence", choices=Presence.choices, initial=Presence.PRESENT
    )
    motif_absence = _texte("Motif de l'absence", rows=2, help_text="Pour une absence justifiée.")
    note = _texte("Compte rendu", rows=5)
    emargement = ChampFichier(
        label="Feuille d'émargement signée",
        required=False,
        help_text="Pour un entretien physique. " + aide(),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)


class EmargementForm(SaisieControleeMixin, forms.Form):
    entretien = forms.IntegerField(widget=forms.HiddenInput)
    emargement = ChampFichier(label="Feuille d'émargement signée")


class SuspendreForm(SaisieControleeMixin, forms.Form):
    motif = forms.ChoiceField(label="Motif", choices=MotifSuspension.choices)
    precision = _texte("Précision", rows=2, help_text="Obligatoire pour le motif « Autre ».")
    debut = forms.DateField(label="Début", widget=DateInput(), initial=timezone.localdate)
    fin_prevue = forms.DateField(
        label="Fin prévue",
        required=False,
        widget=DateInput(),
        help_text="Par défaut, la durée de suspension du référentiel du PLIE.",
    )


class RenouvelerForm(SaisieControleeMixin, forms.Form):
    fin_prevue = forms.DateField(
        label="Nouvelle fin prévue",
        required=False,
        widget=DateInput(),
        help_text="Par défaut, la fin actuelle repoussée de la durée du référentiel.",
    )
    motif = _texte("Motif du renouvellement", rows=2)


class LeverForm(SaisieControleeMixin, forms.Form):
    le = forms.DateField(label="Levée le", widget=DateInput(), initial=timezone.localdate)
    motif = _texte("Motif de la reprise", rows=2)


class ReferentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class ChangerReferentForm(SaisieControleeMixin, forms.Form):
    # Autocomplétion : les référents d'un PLIE ne sont pas énumérés (docs/architecture.md).
    nouveau = ChampAutocompletion(
        label="Nouveau référent", queryset=None, libelle=lambda u: u.get_full_name() or u.username
    )
    motif = _texte("Motif", required=True, rows=2)

    def __init__(self, *args, referents, plie_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nouveau"].queryset = referents
        self.fields["nouveau"].widget.url = autocompletion.url("referents", plie_id)


class PortefeuilleForm(SaisieControleeMixin, forms.Form):
    """Confier tout le portefeuille ouvert d'un référent à un autre."""

    ancien = ReferentChoiceField(label="Portefeuille de", queryset=None)
    nouveau = ReferentChoiceField(label="Confié à", queryset=None)
    motif = _texte("Motif", required=True, rows=2, help_text="Départ, changement de poste…")

    def __init__(self, *args, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ancien"].queryset = referents
        self.fields["nouveau"].queryset = referents

    def clean(self):
        donnees = super().clean()
        if donnees.get("ancien") and donnees.get("ancien") == donnees.get("nouveau"):
            self.add_error("nouveau", "Choisissez un autre référent que celui qui part.")
        return donnees


class DelegationForm(SaisieControleeMixin, forms.Form):
    titulaire = ReferentChoiceField(label="Référent absent", queryset=None)
    suppleant = ReferentChoiceField(label="Suppléant", queryset=None)
    debut = forms.DateField(label="Du", widget=DateInput(), initial=timezone.localdate)
    fin = forms.DateField(label="Au", widget=DateInput())
    motif = _texte("Motif", required=True, rows=2, help_text="Congé, arrêt maladie, formation…")

    def __init__(self, *args, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titulaire"].queryset = referents
        self.fields["suppleant"].queryset = referents


# — Les tâches du suivi (workflows/suivi/taches.py) —


class RelanceForm(SaisieControleeMixin, forms.Form):
    canal = forms.ChoiceField(label="Canal", choices=CanalContact.choices)
    note = forms.CharField(
        label="Ce qui a été fait",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple : courrier envoyé proposant un rendez-vous le 12/03 ; "
        "appel sans réponse, message laissé.",
    )


class RenouvelerOuLeverForm(SaisieControleeMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("renouveler", "Renouveler la suspension"), ("lever", "Lever la suspension")],
        widget=forms.RadioSelect,
    )
    fin_prevue = forms.DateField(
        label="Nouvelle fin prévue (renouvellement)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Par défaut, la fin actuelle repoussée de la durée du référentiel.",
    )
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 2}))
