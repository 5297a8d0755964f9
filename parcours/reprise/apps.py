from django.apps import AppConfig


class RepriseConfig(AppConfig):
    name = "parcours.reprise"
    label = "reprise"
    verbose_name = "Reprise des données"
