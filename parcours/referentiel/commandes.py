"""Ce que partagent les commandes qui évaluent un référentiel sur un fichier JSON, sans base
(`evaluer_eligibilite`, `evaluer_sortie`) : lecture des deux fichiers et erreurs en une ligne qui
nomment le fichier et le champ, code de sortie 2."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from parcours.referentiel.noyau import ReferentielInvalide
from parcours.referentiel.services import lire_fichier
from parcours.referentiel.validation import valider

CODE_ENTREE_INVALIDE = 2


def erreur(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=CODE_ENTREE_INVALIDE)


def lire_json(chemin: Path):
    try:
        texte = chemin.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise erreur(f"{chemin}: (racine): fichier introuvable") from None
    except UnicodeDecodeError:
        raise erreur(f"{chemin}: (racine): le fichier doit être encodé en UTF-8") from None
    try:
        return json.loads(texte)
    except json.JSONDecodeError as exc:
        raise erreur(
            f"{chemin}: ligne {exc.lineno}, colonne {exc.colno}: JSON illisible : {exc.msg}"
        ) from None


def lire_referentiel(chemin: Path, section: str, absente: str) -> dict:
    """Le contenu validé du fichier ; `absente` dit ce qui manque quand `section` n'y est pas."""
    try:
        contenu = lire_fichier(chemin)
        valider(contenu, str(chemin), code_attendu=chemin.stem)
    except ReferentielInvalide as exc:
        premiere = exc.erreurs[0].format(exc.fichier)
        autres = len(exc.erreurs) - 1
        if autres:
            premiere += f" (et {autres} autre(s) erreur(s) : importer_referentiel --dry-run)"
        raise erreur(premiere) from None
    if section not in contenu:
        raise erreur(f"{chemin}: {section}: section absente : {absente}")
    return contenu
