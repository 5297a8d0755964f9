from django.apps import AppConfig


class AccompagnementConfig(AppConfig):
    name = "parcours.accompagnement"
    label = "accompagnement"
    verbose_name = "Accompagnement : parcours"

    def ready(self):
        # Les participations FSE+ suivent l'engagement, la sortie et le changement de structure.
        from parcours.accompagnement import participations  # noqa: F401
