from django.apps import AppConfig


class RgpdConfig(AppConfig):
    """Les devoirs RGPD qui traversent les applications (docs/rgpd.md) : conservation et
    anonymisation, export au titre du droit d'accès. Aucun modèle : elle lit et efface les
    données des autres applications."""

    name = "parcours.rgpd"
    label = "rgpd"
    verbose_name = "Protection des données"
