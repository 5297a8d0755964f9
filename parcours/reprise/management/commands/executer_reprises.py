"""Exécute les reprises confirmées à l'écran et mises en tâche de fond (docs/reprise.md) :

    python manage.py executer_reprises [--maximum N]

Lancée par la boucle périodique de chaque nœud. Pas de verrou de passe : chaque travail est pris
par `SELECT … FOR UPDATE SKIP LOCKED`, si bien que deux nœuds ne prennent jamais le même travail
et que deux travaux peuvent s'exécuter en même temps sur deux nœuds.
"""

from django.core.management.base import BaseCommand

from parcours.reprise.travaux import executer_les_travaux


class Command(BaseCommand):
    help = (
        "Exécute les reprises d'historique en attente (tâche de fond de l'écran de reprise), "
        "une à une ; chaque travail n'est pris que par un nœud."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--maximum", type=int, default=10, help="travaux au plus par passe (défaut 10)"
        )

    def handle(self, *args, **options):
        faits = executer_les_travaux(maximum=max(options["maximum"], 1))
        if not faits:
            self.stdout.write("Aucune reprise en attente.")
        for travail in faits:
            self.stdout.write(f"Reprise {travail.pk} : {travail.get_etat_display().lower()}.")
