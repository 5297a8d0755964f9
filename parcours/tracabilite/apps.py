from django.apps import AppConfig


class TracabiliteConfig(AppConfig):
    name = "parcours.tracabilite"
    label = "tracabilite"
    verbose_name = "Journal des accès"
