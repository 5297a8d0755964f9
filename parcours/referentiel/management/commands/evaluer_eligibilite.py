"""Tester les critères d'éligibilité d'un référentiel sur une personne, sans rien lire ni écrire
en base : `python manage.py evaluer_eligibilite --referentiel referentiels/agenais.yaml
--personne personne.json` (formats : docs/eligibilite.md).

Sortie : un objet JSON `{"eligible": …, "criteres": [...]}` sur la sortie standard. Entrée mal
formée (fichier personne ou référentiel) : une ligne d'erreur qui nomme le fichier et le champ,
code de sortie 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.referentiel.eligibilite import PersonneInvalide, evaluer, valider_personne
from parcours.referentiel.services import lire_fichier
from parcours.referentiel.validation import ReferentielInvalide, valider

CODE_ENTREE_INVALIDE = 2


def _erreur(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=CODE_ENTREE_INVALIDE)


def _lire_personne(chemin: Path):
    try:
        texte = chemin.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _erreur(f"{chemin}: (racine): fichier introuvable") from None
    except UnicodeDecodeError:
        raise _erreur(f"{chemin}: (racine): le fichier doit être encodé en UTF-8") from None
    try:
        return json.loads(texte)
    except json.JSONDecodeError as exc:
        raise _erreur(
            f"{chemin}: ligne {exc.lineno}, colonne {exc.colno}: JSON illisible : {exc.msg}"
        ) from None


class Command(BaseCommand):
    help = (
        "Évalue l'éligibilité d'une personne (fichier JSON) selon les critères d'un fichier "
        "referentiels/<code>.yaml ; écrit le résultat expliqué en JSON. N'utilise pas la base."
    )
    # Rien à vérifier ni à migrer : la commande ne lit que les deux fichiers donnés.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--referentiel", required=True, help="fichier YAML, ex. referentiels/agenais.yaml"
        )
        parser.add_argument(
            "--personne", required=True, help="fichier JSON de la situation de la personne"
        )

    def handle(self, *args, referentiel, personne, **options):
        chemin_referentiel, chemin_personne = Path(referentiel), Path(personne)
        try:
            contenu = lire_fichier(chemin_referentiel)
            valider(contenu, str(chemin_referentiel), code_attendu=chemin_referentiel.stem)
        except ReferentielInvalide as exc:
            premiere = exc.erreurs[0].format(exc.fichier)
            autres = len(exc.erreurs) - 1
            if autres:
                premiere += f" (et {autres} autre(s) erreur(s) : importer_referentiel --dry-run)"
            raise _erreur(premiere) from None
        if "eligibilite" not in contenu:
            raise _erreur(
                f"{chemin_referentiel}: eligibilite: section absente : "
                "ce référentiel ne définit pas de critères d'éligibilité"
            )

        donnees = _lire_personne(chemin_personne)
        try:
            situation = valider_personne(donnees)
        except PersonneInvalide as exc:
            raise _erreur(f"{chemin_personne}: {exc}") from None

        resultat = evaluer(contenu, situation).as_json()
        self.stdout.write(json.dumps(resultat, ensure_ascii=False, indent=2))
