from django.apps import AppConfig


class AccompagnementConfig(AppConfig):
    name = "parcours.accompagnement"
    label = "accompagnement"
    verbose_name = "Accompagnement : parcours"
