from django.db import models


class TrancheEffectif(models.TextChoices):
    """Tranches d'effectif salarié ; « 1 à 9 » est le seuil des TPE."""

    AUCUN = "0", "0 salarié"
    TPE = "1_9", "1 à 9 salariés (TPE)"
    PETITE = "10_49", "10 à 49 salariés"
    MOYENNE = "50_249", "50 à 249 salariés"
    GRANDE = "250_plus", "250 salariés et plus"
