from django.apps import AppConfig


class EntreprisesConfig(AppConfig):
    name = "parcours.entreprises"
    label = "entreprises"
    verbose_name = "Relations entreprises"
