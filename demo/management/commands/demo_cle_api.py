"""La clé d'API de démonstration (demo/cles.py) : créée ou prolongée, son jeton affiché. Après
`charger_demo` ; en développement seulement (son secret est public)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.cles import JETON_DEMO, charger_cle_demo


class Command(BaseCommand):
    help = "Crée (ou prolonge) la clé d'API de démonstration et affiche son jeton."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "La clé d'API de démonstration a un secret public : elle n'est créée qu'en "
                "développement (DJANGO_DEBUG=1)."
            )
        cle = charger_cle_demo()
        self.stdout.write(
            f"Clé d'API de démonstration ({cle.structure}, prescripteur) : {JETON_DEMO}\n"
            f'  curl -H "Authorization: Bearer {JETON_DEMO}" '
            "http://127.0.0.1:8000/api/v1/prescriptions/"
        )
