"""Les formulaires de l'administration du PLIE : chaque liste de choix est limitée au PLIE."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm, UsernameField
from django.contrib.auth.password_validation import password_validators_help_text_html

from parcours.core.cles import ROLES_CLE
from parcours.core.enums import DroitCle, Role
from parcours.core.models import Membership, Structure, User
from parcours.reprise import depot
from parcours.reprise.correspondance import (
    CorrespondanceInvalide,
    correspondances_livrees,
    lire_correspondance,
)
from workflows.formulaires import SaisieControleeMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Un référentiel fait quelques dizaines de Ko (communes comprises) : 2 Mo laissent de la marge
# sans laisser lire un fichier démesuré en mémoire.
TAILLE_MAX_REFERENTIEL = 2 * 1024 * 1024


class StructureForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = Structure
        fields = ["nom", "type", "territoire"]

    def __init__(self, *args, plie, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plie = plie
        self.fields["territoire"].queryset = plie.territoires.order_by("nom")


class AdhesionForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["structure", "role", "debut", "fin", "etp"]
        widgets = {"debut": DATE, "fin": DATE}

    def __init__(self, *args, plie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = plie.structures.order_by("nom")
        self.fields["role"].choices = Role.choices

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin doit suivre le début.")
        return donnees


class CompteForm(SaisieControleeMixin, forms.ModelForm):
    """Un nouveau compte et sa première adhésion dans une structure du PLIE."""

    password1 = forms.CharField(
        label="Mot de passe provisoire",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Mot de passe (confirmation)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, plie, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in ("first_name", "last_name", "email"):
            self.fields[champ].required = True
        adhesion_kwargs = {k: v for k, v in kwargs.items() if k in ("data", "initial")}
        self.adhesion = AdhesionForm(*args, plie=plie, prefix="adhesion", **adhesion_kwargs)

    def clean_password2(self):
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError("Les deux mots de passe ne correspondent pas.")
        return p2

    def is_valid(self):
        return all([super().is_valid(), self.adhesion.is_valid()])


class CompteModificationForm(SaisieControleeMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active"]
        labels = {"is_active": "Compte actif (décocher pour bloquer toute connexion)"}


class MotDePasseForm(SaisieControleeMixin, SetPasswordForm):
    """Les validateurs de mot de passe de Django (longueur, trop courant, trop proche de
    l'identifiant, numérique) ; rien n'est enregistré ici : le service le fait et journalise."""


class ReferentielForm(SaisieControleeMixin, forms.Form):
    fichier = forms.FileField(
        label="Fichier du référentiel (YAML)",
        help_text="Le fichier exporté ou rédigé selon docs/referentiel.md, encodé en UTF-8.",
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAX_REFERENTIEL:
            raise forms.ValidationError("Fichier trop volumineux (2 Mo au plus).")
        try:
            return fichier.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("Le fichier doit être encodé en UTF-8.") from exc


class ConfirmationReferentielForm(SaisieControleeMixin, forms.Form):
    """Le texte validé à l'aperçu, renvoyé tel quel et revalidé à la confirmation."""

    # Un texte de plusieurs lignes (YAML), caché : pas un <input type=hidden> d'une ligne.
    contenu = forms.CharField(
        widget=forms.Textarea(attrs={"hidden": True}), max_length=TAILLE_MAX_REFERENTIEL
    )
    nom = forms.CharField(widget=forms.HiddenInput, max_length=200)


class CleApiForm(SaisieControleeMixin, forms.Form):
    """Une clé d'API : pour quelle structure du PLIE, quel rôle, quels droits, jusqu'à quand."""

    nom = forms.CharField(
        label="Nom", max_length=100, help_text="Le partenaire et son outil, ex. « France Travail »."
    )
    structure = forms.ModelChoiceField(label="Structure", queryset=Structure.objects.none())
    role = forms.ChoiceField(label="Rôle tenu par la clé")
    droits = forms.MultipleChoiceField(
        label="Droits", choices=DroitCle.choices, widget=forms.CheckboxSelectMultiple
    )
    expire_le = forms.DateField(label="Expire le", widget=DATE)

    def __init__(self, *args, plie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = plie.structures.order_by("nom")
        self.fields["role"].choices = [(r, Role(r).label) for r in ROLES_CLE]


# — Reprise depuis l'écran (docs/reprise.md, « Depuis l'écran ») —

DEPOSER_LA_MIENNE = "_deposee"


class DepotMultiple(forms.ClearableFileInput):
    allow_multiple_selected = True


class FichiersField(forms.FileField):
    """Plusieurs fichiers dans un seul champ (la liste des fichiers envoyés)."""

    widget = DepotMultiple

    def clean(self, data, initial=None):
        envois = data if isinstance(data, list | tuple) else [data]
        envois = [super(FichiersField, self).clean(d, initial) for d in envois if d]
        if not envois and self.required:
            raise forms.ValidationError("Déposez au moins un fichier.", code="required")
        return envois


def _lire(envoi, taille_max) -> bytes:
    if envoi.size > taille_max:
        raise forms.ValidationError(
            f"« {envoi.name} » est trop volumineux ({taille_max // 1024 // 1024} Mo au plus)."
        )
    return envoi.read()


class RepriseForm(SaisieControleeMixin, forms.Form):
    fichiers = FichiersField(
        label="Fichiers de l'export",
        help_text=(
            "Un fichier par entité (participants, parcours), en CSV « ; » UTF-8 ou XLSX, ou une "
            f"archive ZIP qui les contient ; {depot.FICHIERS_MAX} fichiers et "
            f"{depot.TAILLE_MAX_DEPOT // 1024 // 1024} Mo au plus."
        ),
        widget=DepotMultiple(attrs={"accept": ".csv,.xlsx,.zip"}),
    )
    correspondance = forms.ChoiceField(label="Correspondance")
    correspondance_fichier = forms.FileField(
        label="Ma correspondance (YAML)",
        required=False,
        help_text="Seulement si vous avez choisi « Déposer ma correspondance ».",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.livrees = correspondances_livrees()
        self.fields["correspondance"].choices = [
            (nom, f"{nom}.yaml (livrée)") for nom in self.livrees
        ] + [(DEPOSER_LA_MIENNE, "Déposer ma correspondance")]

    def clean_fichiers(self):
        envois = self.cleaned_data["fichiers"]
        if len(envois) > depot.FICHIERS_MAX:
            raise forms.ValidationError(f"{depot.FICHIERS_MAX} fichiers au plus.")
        bruts = [(e.name, _lire(e, depot.TAILLE_MAX_DEPOT)) for e in envois]
        try:
            return depot.deplier(bruts)
        except depot.DepotRefuse as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        donnees = super().clean()
        choix = donnees.get("correspondance")
        if choix is None:
            return donnees
        if choix == DEPOSER_LA_MIENNE:
            envoi = donnees.get("correspondance_fichier")
            if not envoi:
                self.add_error("correspondance_fichier", "Déposez votre fichier de correspondance.")
                return donnees
            nom = envoi.name[:100]
            try:
                texte = _lire(envoi, TAILLE_MAX_REFERENTIEL).decode("utf-8")
            except forms.ValidationError as exc:
                self.add_error("correspondance_fichier", exc)
                return donnees
            except UnicodeDecodeError:
                self.add_error("correspondance_fichier", f"« {nom} » n'est pas en UTF-8.")
                return donnees
        else:
            nom, texte = f"{choix}.yaml", self.livrees[choix]
        try:
            lire_correspondance(texte)
        except CorrespondanceInvalide as exc:
            champ = "correspondance_fichier" if choix == DEPOSER_LA_MIENNE else "correspondance"
            self.add_error(champ, f"{nom} : {exc}")
            return donnees
        donnees["correspondance_texte"], donnees["correspondance_nom"] = texte, nom
        return donnees
