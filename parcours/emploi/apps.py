from django.apps import AppConfig


class EmploiConfig(AppConfig):
    name = "parcours.emploi"
    label = "emploi"
    verbose_name = "Emploi et sorties"

    def ready(self):
        # Les décisions de la commission de sortie mettent à jour la proposition (sortie.py).
        from parcours.emploi import sortie  # noqa: F401
