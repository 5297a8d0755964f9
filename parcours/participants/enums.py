from django.db import models


class Sexe(models.TextChoices):
    FEMME = "F", "Femme"
    HOMME = "H", "Homme"
