from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Flux de travail"

    def ready(self):
        # Les flux de l'emploi écoutent les changements de contrats (signal du domaine).
        from workflows import emploi  # noqa: F401
