from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

from parcours.core.periodiques import CommandePeriodique


class Command(CommandePeriodique):
    help = (
        "Déclenche les minuteries viewflow échues (comme `workflow_timers`), une seule passe à "
        "la fois sur tous les nœuds."
    )

    def passe(self, passe, **options):
        minuteurs, debuts, conditions = (
            fire_due_timers(),
            fire_due_start_timers(),
            fire_due_conditions(),
        )
        return (
            f"{minuteurs} minuterie(s) déclenchée(s), {debuts} processus démarré(s), "
            f"{conditions} condition(s) remplie(s)."
        )
