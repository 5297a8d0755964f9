from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parcours.referentiel.noyau import ReferentielInvalide
from parcours.referentiel.services import importer_referentiel


class Command(BaseCommand):
    help = "Valide et importe un ou plusieurs fichiers referentiels/<code>.yaml (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("fichiers", nargs="+")
        parser.add_argument(
            "--dry-run", action="store_true", help="Valider seulement, sans rien enregistrer."
        )

    def handle(self, *args, fichiers, dry_run=False, **options):
        try:
            with transaction.atomic():
                for fichier in fichiers:
                    referentiel = importer_referentiel(fichier)
                    self.stdout.write(
                        f"{fichier} : {referentiel.plie.nom}, version du "
                        f"{referentiel.date_effet:%d/%m/%Y} — "
                        + ("valide (rien enregistré)" if dry_run else "importé")
                    )
                if dry_run:
                    transaction.set_rollback(True)
        except ReferentielInvalide as exc:
            raise CommandError(f"Référentiel invalide, rien n'a été enregistré :\n{exc}") from exc
