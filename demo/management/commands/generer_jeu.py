"""Génère un jeu de données à l'échelle N participants (docs/PERFORMANCE.md)."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.jeu.controles import Refus
from demo.jeu.echelle import Echelle
from demo.jeu.generateur import generer


class Command(BaseCommand):
    help = "Génère un jeu de données national : --echelle 100000 = 20 PLIE, 100 000 participants."

    def add_arguments(self, parser):
        parser.add_argument("--echelle", type=int, required=True, help="participants visés")
        parser.add_argument("--base", help="URL d'une autre base (migrée au besoin)")
        parser.add_argument(
            "--graine", type=int, default=0, help="décale les dates de naissance des copies"
        )
        parser.add_argument("--vider", action="store_true", help="efface la base d'abord")

    def handle(self, *args, echelle, base=None, graine=0, vider=False, **options):
        if base:
            return self._ailleurs(base, echelle, graine, vider)
        try:
            jeu = Echelle.pour(echelle)
        except ValueError as erreur:
            raise CommandError(str(erreur)) from erreur
        self.stdout.write(f"Jeu à l'échelle {echelle} : {jeu.resume()}.")
        try:
            totaux = generer(jeu, vider=vider, graine=graine, ecrire=self.stdout.write)
        except Refus as refus:
            raise CommandError(str(refus)) from refus
        for table, nombre in totaux.items():
            self.stdout.write(f"  {table:<36} {nombre:>10}")

    def _ailleurs(self, base, echelle, graine, vider):
        """Même commande sur une autre base (les réglages Django ne lisent qu'une URL)."""
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        env = {**os.environ, "DATABASE_URL": base}
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
        commande = [*manage, "generer_jeu", "--echelle", str(echelle), "--graine", str(graine)]
        resultat = subprocess.run(commande + (["--vider"] if vider else []), env=env)
        if resultat.returncode:
            raise CommandError("La génération sur l'autre base a échoué.")
