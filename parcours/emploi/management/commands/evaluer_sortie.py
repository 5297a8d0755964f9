"""Dire si des contrats remplissent une règle de sortie positive d'un référentiel, sans base :
`python manage.py evaluer_sortie --referentiel referentiels/agenais.yaml --contrats c.json`
(formats : docs/sortie.md).

Sortie : un objet JSON `{"qualifie": …, "categorie": …, "regle": …, "atteint_le": …,
"previsionnel_le": …, "validation_commission_requise": …, "explication": …}` sur la sortie
standard. Entrée mal formée (fichier de contrats ou référentiel) : une ligne d'erreur en français
qui nomme le champ, code de sortie 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.emploi.qualification import SituationInvalide, evaluer_sortie, situation_depuis_json
from parcours.referentiel.services import lire_fichier
from parcours.referentiel.validation import ReferentielInvalide, valider

CODE_ENTREE_INVALIDE = 2


def _erreur(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=CODE_ENTREE_INVALIDE)


def _lire_json(chemin: Path):
    try:
        texte = chemin.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _erreur(f"{chemin} : fichier introuvable") from None
    except UnicodeDecodeError:
        raise _erreur(f"{chemin} : le fichier doit être encodé en UTF-8") from None
    try:
        return json.loads(texte)
    except json.JSONDecodeError as exc:
        raise _erreur(
            f"{chemin} : ligne {exc.lineno}, colonne {exc.colno} : JSON illisible : {exc.msg}"
        ) from None


class Command(BaseCommand):
    help = (
        "Évalue des contrats (fichier JSON) selon les règles de sortie positive d'un fichier "
        "referentiels/<code>.yaml ; écrit la qualification expliquée en JSON. "
        "N'utilise pas la base."
    )
    # Rien à vérifier ni à migrer : la commande ne lit que les deux fichiers donnés.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--referentiel", required=True, help="fichier YAML, ex. referentiels/agenais.yaml"
        )
        parser.add_argument(
            "--contrats", required=True, help="fichier JSON : date, âge, accord, contrats"
        )

    def handle(self, *args, referentiel, contrats, **options):
        chemin_referentiel, chemin_contrats = Path(referentiel), Path(contrats)
        try:
            contenu = lire_fichier(chemin_referentiel)
            valider(contenu, str(chemin_referentiel), code_attendu=chemin_referentiel.stem)
        except ReferentielInvalide as exc:
            premiere = exc.erreurs[0].format(exc.fichier)
            autres = len(exc.erreurs) - 1
            if autres:
                premiere += f" (et {autres} autre(s) erreur(s) : importer_referentiel --dry-run)"
            raise _erreur(premiere) from None
        if "sortie" not in contenu:
            raise _erreur(
                f"{chemin_referentiel} : sortie : section absente : "
                "ce référentiel ne définit pas de règles de sortie positive"
            )
        try:
            situation = situation_depuis_json(_lire_json(chemin_contrats))
        except SituationInvalide as exc:
            raise _erreur(f"{chemin_contrats} : {exc}") from None
        resultat = evaluer_sortie(contenu["sortie"], situation).as_dict()
        self.stdout.write(json.dumps(resultat, ensure_ascii=False))
