from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Les données de démonstration de `make run` : au-dessus du domaine et des flux, qu'elle
    alimente par leurs vrais services (rien n'en dépend)."""

    name = "demo"
    label = "demo"
    verbose_name = "Démonstration"
