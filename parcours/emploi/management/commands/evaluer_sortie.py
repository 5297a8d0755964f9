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

from django.core.management.base import BaseCommand

from parcours.emploi.qualification import SituationInvalide, evaluer_sortie, situation_depuis_json
from parcours.referentiel.commandes import erreur, lire_json, lire_referentiel
from parcours.referentiel.sections import sortie


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
        contenu = lire_referentiel(
            chemin_referentiel,
            "sortie",
            "ce référentiel ne définit pas de règles de sortie positive",
        )
        try:
            situation = situation_depuis_json(lire_json(chemin_contrats))
        except SituationInvalide as exc:
            raise erreur(f"{chemin_contrats}: {exc}") from None
        resultat = evaluer_sortie(sortie.du_contenu(contenu), situation).as_dict()
        self.stdout.write(json.dumps(resultat, ensure_ascii=False))
