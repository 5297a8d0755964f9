"""Lire les paramètres d'une requête (GET, POST) avant de s'en servir dans une requête SQL.

Un identifiant vient d'une adresse ou d'un formulaire écrit à la main : « abc », « ² » (un
chiffre pour `str.isdigit`, pas pour `int`) ou vingt chiffres ne doivent pas aller jusqu'à la
base (erreur 500). Un texte de recherche perd ses caractères de contrôle (PostgreSQL refuse le
caractère nul) et sa longueur est bornée.
"""

import re

from parcours.core.validators import sur_une_ligne

_IDENTIFIANT = re.compile(r"[0-9]{1,18}")  # chiffres ASCII ; 18 chiffres tiennent en bigint
LONGUEUR_RECHERCHE = 100


def identifiant(valeur) -> int | None:
    """L'entier positif écrit dans `valeur`, ou None (absent, pas un nombre, démesuré)."""
    if valeur is None:
        return None
    texte = str(valeur).strip()
    return int(texte) if _IDENTIFIANT.fullmatch(texte) else None


def recherche(valeur) -> str:
    """Un texte de recherche sur une ligne, sans caractère de contrôle, borné."""
    return sur_une_ligne(valeur or "")[:LONGUEUR_RECHERCHE].strip()
