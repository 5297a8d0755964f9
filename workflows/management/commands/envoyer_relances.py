from parcours.core.periodiques import CommandePeriodique
from workflows.relances import envoyer_relances


class Command(CommandePeriodique):
    help = (
        "Relance par courriel les tâches dont l'échéance (délais du référentiel) est passée. "
        "Une seule passe à la fois sur tous les nœuds ; requêtes en nombre constant par lot."
    )

    def passe(self, passe, **options):
        return f"{envoyer_relances()} relance(s) envoyée(s)."
