from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Flux de travail"

    def ready(self):
        # Les flux écoutent les signaux du domaine : changements de contrats (emploi), absences
        # injustifiées (suivi) ; les alertes se lèvent avec l'action qui supprime leur cause ;
        # une reprise donne leur travail aux parcours ouverts repris.
        from workflows import suivi  # noqa: F401
        from workflows.alertes import reactions as _alertes  # noqa: F401
        from workflows.clauses import reprise as _reprise_clauses  # noqa: F401
        from workflows.emploi import reactions  # noqa: F401
        from workflows.reprise import reactions as _reprise  # noqa: F401
