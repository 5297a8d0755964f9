"""Le texte et les dates saisis : ce que l'application refuse partout, au formulaire et au modèle.

- Un nom, un intitulé ou toute autre saisie d'une ligne ne contient ni saut de ligne ni
  caractère de contrôle : repris dans l'objet d'un courriel, un nom de fichier ou une cellule de
  tableur, il casserait l'en-tête ou la ligne (un saut de ligne dans le nom d'une personne
  faisait échouer tous ses courriels).
- Un texte de plusieurs lignes garde ses sauts de ligne et tabulations, rien d'autre (NUL : que
  PostgreSQL refuse ; échappements de terminal).
- Une date saisie est comprise entre 1900 et 2100 : au-delà, le calcul des échéances (« 6 mois
  après ») sort du calendrier de Python.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

ANNEE_MIN = 1900
ANNEE_MAX = 2100
DATE_MIN = datetime.date(ANNEE_MIN, 1, 1)
DATE_MAX = datetime.date(ANNEE_MAX, 12, 31)
# Catégories Unicode refusées : contrôles (Cc) et séparateurs de ligne et de paragraphe.
CATEGORIES_INTERDITES = {"Cc", "Zl", "Zp"}
AUTORISES_SUR_PLUSIEURS_LIGNES = frozenset("\n\r\t")
# Les caractères de ces catégories, lus par une expression rationnelle (en C) plutôt que
# caractère par caractère en Python : 100 000 caractères lus en 0,6 ms au lieu de 8 ms. La
# catégorie Cc est figée par Unicode ; Zl et Zp n'ont chacune qu'un caractère
# (tests/securite/test_caracteres_de_controle.py les recompte sur tout Unicode).
INTERDITS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def caracteres_interdits(texte: str, autorises=frozenset()) -> list[str]:
    return [c for c in INTERDITS.findall(texte) if c not in autorises]


def sur_une_ligne(texte: str) -> str:
    """Le texte sans caractère de contrôle, espaces regroupés : pour composer l'objet d'un
    courriel ou un nom de fichier à partir de données déjà en base."""
    return " ".join(INTERDITS.sub(" ", str(texte)).split())


@deconstructible
class TexteControle:
    """Refuse les caractères de contrôle ; `plusieurs_lignes` garde sauts de ligne et
    tabulations. `champ` : le libellé à nommer dans le message (formulaires)."""

    def __init__(self, plusieurs_lignes=False, champ=""):
        self.plusieurs_lignes = plusieurs_lignes
        self.champ = champ

    def __call__(self, valeur):
        if not isinstance(valeur, str):
            return
        autorises = AUTORISES_SUR_PLUSIEURS_LIGNES if self.plusieurs_lignes else frozenset()
        if not caracteres_interdits(valeur, autorises):
            return
        sujet = f"« {self.champ} »" if self.champ else "Ce champ"
        if self.plusieurs_lignes:
            message = f"{sujet} contient un caractère de contrôle (caractère nul, échappement…)."
        else:
            message = (
                f"{sujet} tient sur une ligne : ni saut de ligne, ni tabulation, ni caractère "
                "de contrôle."
            )
        raise ValidationError(message, code="caractere_de_controle")

    def __eq__(self, other):
        return (
            isinstance(other, TexteControle)
            and self.plusieurs_lignes == other.plusieurs_lignes
            and self.champ == other.champ
        )


# Les validateurs des modèles (références stables pour les migrations).
texte_sur_une_ligne = TexteControle()
texte_sur_plusieurs_lignes = TexteControle(plusieurs_lignes=True)


@deconstructible
class DateBornee:
    """Une date entre le 1er janvier 1900 et le 31 décembre 2100."""

    def __init__(self, champ=""):
        self.champ = champ

    def __call__(self, valeur):
        if not isinstance(valeur, datetime.date):
            return
        jour = valeur.date() if isinstance(valeur, datetime.datetime) else valeur
        if DATE_MIN <= jour <= DATE_MAX:
            return
        sujet = f"« {self.champ} »" if self.champ else "La date"
        raise ValidationError(
            f"{sujet} : la date doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX} "
            f"({jour.day:02d}/{jour.month:02d}/{jour.year:04d} saisi).",
            code="date_hors_bornes",
        )

    def __eq__(self, other):
        return isinstance(other, DateBornee) and self.champ == other.champ


def erreurs_de_saisie(objet, champs) -> list[str]:
    """Les validateurs des `champs` d'un objet que crée un service sans formulaire (prescrire,
    import…), et les bornes de ses dates : les messages, chacun nommant le champ ; [] si tout
    est valide."""
    exclus = [f.name for f in objet._meta.concrete_fields if f.name not in set(champs)]
    erreurs = []
    try:
        objet.clean_fields(exclude=exclus)
    except ValidationError as exc:
        erreurs += [
            f"« {objet._meta.get_field(nom).verbose_name} » : {message}"
            for nom, messages in exc.message_dict.items()
            for message in messages
        ]
    for champ in objet._meta.concrete_fields:
        if champ.name in champs and isinstance(champ, models.DateField):
            try:
                DateBornee(champ=champ.verbose_name)(getattr(objet, champ.attname))
            except ValidationError as exc:
                erreurs += exc.messages
    return erreurs
