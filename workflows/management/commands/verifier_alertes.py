import datetime

from django.core.management.base import CommandError

from parcours.core.periodiques import CommandePeriodique
from workflows.alertes.incremental import passe_de_verification


class Command(CommandePeriodique):
    help = (
        "Ouvre les alertes de suivi dont la condition tient (tâche « Traiter l'alerte » chez le "
        "référent) et lève celles dont la condition a disparu. Idempotente ; incrémentale dans "
        "la journée (seuls les parcours modifiés depuis la passe précédente), complète au "
        "changement de jour ou de délais, ou avec --complete. Une seule passe à la fois sur "
        "tous les nœuds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Vérifier à cette date (AAAA-MM-JJ) plutôt qu'aujourd'hui."
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help="Réexaminer tous les parcours, même ceux qui n'ont pas changé.",
        )

    def verifier_options(self, options):
        if options["date"]:
            try:
                options["date"] = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"Date illisible : « {options['date']} » (AAAA-MM-JJ).") from exc

    def passe(self, passe, **options):
        return str(passe_de_verification(passe, options["date"], complete=options["complete"]))
