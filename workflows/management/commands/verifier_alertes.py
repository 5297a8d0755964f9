import datetime

from django.core.management.base import BaseCommand, CommandError

from workflows.alertes.verification import verifier_alertes


class Command(BaseCommand):
    help = (
        "Ouvre les alertes de suivi dont la condition tient (tâche « Traiter l'alerte » chez le "
        "référent) et lève celles dont la condition a disparu. Idempotente."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Vérifier à cette date (AAAA-MM-JJ) plutôt qu'aujourd'hui."
        )

    def handle(self, *args, **options):
        jour = None
        if options["date"]:
            try:
                jour = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"Date illisible : « {options['date']} » (AAAA-MM-JJ).") from exc
        self.stdout.write(str(verifier_alertes(jour)))
