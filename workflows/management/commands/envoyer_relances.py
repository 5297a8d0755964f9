from django.core.management.base import BaseCommand

from workflows.relances import envoyer_relances


class Command(BaseCommand):
    help = "Relance par courriel les tâches dont l'échéance (délais du référentiel) est passée."

    def handle(self, *args, **options):
        self.stdout.write(f"{envoyer_relances()} relance(s) envoyée(s).")
