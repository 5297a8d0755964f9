from django.apps import AppConfig


class EmploiConfig(AppConfig):
    name = "parcours.emploi"
    label = "emploi"
    verbose_name = "Emploi et sorties"
