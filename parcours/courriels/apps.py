from django.apps import AppConfig


class CourrielsConfig(AppConfig):
    name = "parcours.courriels"
    label = "courriels"
    verbose_name = "Courriels envoyés"
