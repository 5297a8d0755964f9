from django.apps import AppConfig


class ReferentielConfig(AppConfig):
    name = "parcours.referentiel"
    label = "referentiel"
    verbose_name = "Référentiels des PLIE"
