import datetime

from django.core.management.base import BaseCommand, CommandError

from parcours.core.models import PLIE
from parcours.referentiel.models import Referentiel
from parcours.referentiel.services import exporter_referentiel


class Command(BaseCommand):
    help = "Écrit en YAML le référentiel en vigueur d'un PLIE (à une date, aujourd'hui par défaut)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="code du PLIE, ex. agenais")
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--output", "-o", help="fichier de sortie (sinon la sortie standard)")

    def handle(self, code, date=None, output=None, **options):
        try:
            plie = PLIE.objects.get(code=code)
            texte = exporter_referentiel(plie, date)
        except PLIE.DoesNotExist as exc:
            raise CommandError(f"PLIE inconnu : « {code} ».") from exc
        except Referentiel.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(texte)
        else:
            self.stdout.write(texte, ending="")
