"""Tester les critères d'éligibilité d'un référentiel sur une personne, sans rien lire ni écrire
en base : `python manage.py evaluer_eligibilite --referentiel referentiels/agenais.yaml
--personne personne.json` (formats : docs/eligibilite.md).

Sortie : un objet JSON `{"eligible": …, "criteres": [...]}` sur la sortie standard. Entrée mal
formée (fichier personne ou référentiel) : une ligne d'erreur qui nomme le fichier et le champ,
code de sortie 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from parcours.referentiel.commandes import erreur, lire_json, lire_referentiel
from parcours.referentiel.sections.eligibilite import PersonneInvalide, evaluer, valider_personne


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
        contenu = lire_referentiel(
            chemin_referentiel,
            "eligibilite",
            "ce référentiel ne définit pas de critères d'éligibilité",
        )
        try:
            situation = valider_personne(lire_json(chemin_personne))
        except PersonneInvalide as exc:
            raise erreur(f"{chemin_personne}: {exc}") from None

        resultat = evaluer(contenu, situation).as_json()
        self.stdout.write(json.dumps(resultat, ensure_ascii=False, indent=2))
