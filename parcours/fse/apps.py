from django.apps import AppConfig


class FseConfig(AppConfig):
    name = "parcours.fse"
    label = "fse"
    verbose_name = "Opérations FSE+"
