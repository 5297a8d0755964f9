from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "parcours.reporting"
    label = "reporting"
    verbose_name = "Pilotage et FSE+ : exports, indicateurs"
