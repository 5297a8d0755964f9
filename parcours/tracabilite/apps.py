from django.apps import AppConfig


class TracabiliteConfig(AppConfig):
    name = "parcours.tracabilite"
    label = "tracabilite"
    verbose_name = "Journal des accès"

    def ready(self):
        # Traces des connexions, échecs, verrouillages et déconnexions (signaux).
        from parcours.tracabilite import connexions  # noqa: F401
