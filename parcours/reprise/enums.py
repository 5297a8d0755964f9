from django.db import models


class Entite(models.TextChoices):
    PARTICIPANT = "participant", "Participants"
    PARCOURS = "parcours", "Parcours"
