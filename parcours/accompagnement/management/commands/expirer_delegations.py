from django.core.management.base import BaseCommand

from parcours.accompagnement.suivi import expirer_delegations


class Command(BaseCommand):
    help = (
        "Intérims : retire l'accès des suppléants aux intérims échus, l'accorde à ceux qui "
        "commencent, suit les portefeuilles des intérims en cours (à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        echues = expirer_delegations()
        self.stdout.write(f"{echues} intérim(s) arrivé(s) à échéance.")
