from django.db import models
from django.utils import timezone


class Relance(models.Model):
    """Une relance envoyée pour une tâche en retard : une seule par tâche (idempotence)."""

    tache = models.OneToOneField("viewflow.Task", on_delete=models.CASCADE, related_name="relance")
    courriel = models.ForeignKey(
        "courriels.Courriel", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    envoyee_le = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "relance"

    def __str__(self):
        return f"Relance de la tâche {self.tache_id}"
