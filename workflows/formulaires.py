"""Ce que partagent les formulaires des écrans : la saisie contrôlée, le champ de dépôt de
document (`ChampFichier`), le formulaire de connexion.

`SaisieControleeMixin` : chaque formulaire de l'application refuse, champ par champ, le texte
à caractères de contrôle et les dates hors de 1900–2100 (parcours/core/validators.py), avec un
message qui nomme le champ.

Le contrôle est posé à la validation (`full_clean`) plutôt qu'à la construction : des
formulaires ajoutent leurs champs dans leur `__init__`, après celui de la classe de base.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from parcours.core.fichiers import FORMATS_DOCUMENT, TAILLE_MAX_DOCUMENT, aide, verifier_fichier
from parcours.core.validators import DateBornee, TexteControle

# Les bornes d'une colonne `integer` de PostgreSQL : au-delà, l'enregistrement échouerait.
ENTIER_MAX = 2**31 - 1


def _libelle(nom, champ) -> str:
    return str(champ.label or nom.replace("_", " ")).rstrip(" :")


def controler_champ(nom: str, champ: forms.Field) -> None:
    if getattr(champ, "_saisie_controlee", False):
        return
    champ._saisie_controlee = True
    libelle = _libelle(nom, champ)
    if isinstance(champ, forms.CharField):
        plusieurs_lignes = isinstance(champ.widget, forms.Textarea)
        champ.validators.append(TexteControle(plusieurs_lignes=plusieurs_lignes, champ=libelle))
    elif isinstance(champ, forms.DateField | forms.DateTimeField):
        champ.validators.append(DateBornee(champ=libelle))
    elif isinstance(champ, forms.IntegerField) and champ.max_value is None:
        champ.validators.append(EntierBorne(libelle))


class EntierBorne:
    """Un entier que PostgreSQL peut enregistrer (colonne `integer`)."""

    def __init__(self, libelle):
        self.libelle = libelle

    def __call__(self, valeur):
        if valeur is not None and abs(valeur) > ENTIER_MAX:
            raise forms.ValidationError(
                f"« {self.libelle} » : nombre trop grand.", code="entier_trop_grand"
            )


class SaisieControleeMixin:
    """À placer avant `forms.Form` / `forms.ModelForm` dans les bases d'un formulaire."""

    def full_clean(self):
        for nom, champ in self.fields.items():
            controler_champ(nom, champ)
        super().full_clean()


class ConnexionForm(AuthenticationForm):
    """Un seul message pour tout échec : ne révèle pas si l'identifiant existe."""

    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Identifiant ou mot de passe incorrect.",
    }


class ChampFichier(forms.FileField):
    """Le champ de formulaire d'un dépôt de document : contenu vérifié par `verifier_fichier`,
    le libellé du champ nommé dans chaque message."""

    def __init__(self, *, formats=FORMATS_DOCUMENT, taille_max=TAILLE_MAX_DOCUMENT, **kwargs):
        self.formats, self.taille_max = formats, taille_max
        kwargs.setdefault("help_text", aide(formats, taille_max))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(ext for f in self.formats for ext in f.extensions)
        return attrs

    def to_python(self, data):
        # Les refus de Django (fichier vide, nom trop long…) nomment eux aussi le champ.
        try:
            return super().to_python(data)
        except ValidationError as exc:
            if exc.code == "empty":
                verifier_fichier(data, champ=str(self.label or "Fichier"), formats=self.formats)
            message = exc.messages[0]
            raise ValidationError(
                f"{self.label or 'Fichier'} : {message[:1].lower()}{message[1:]}", code=exc.code
            ) from None

    def clean(self, data, initial=None):
        fichier = super().clean(data, initial)
        if fichier and fichier is not initial:
            verifier_fichier(
                fichier,
                champ=str(self.label or "Fichier"),
                formats=self.formats,
                taille_max=self.taille_max,
            )
        return fichier
