"""Le journal des exports Ma Démarche FSE : qui, quand, quelle opération, quelle période, combien
de lignes écrites et écartées (docs/fse.md). Une ligne n'est jamais modifiée."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportFse(models.Model):
    operation = models.ForeignKey(
        "fse.OperationFse", on_delete=models.PROTECT, related_name="exports"
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    le = models.DateTimeField("le", default=timezone.now)
    du = models.DateField("du")
    au = models.DateField("au")
    sorties = models.BooleanField("fichier des sorties", default=False)
    partiel = models.BooleanField("partiel", default=False)
    lignes = models.PositiveIntegerField("lignes écrites")
    ecartees = models.PositiveIntegerField("lignes écartées (incomplètes)", default=0)

    class Meta:
        verbose_name = "export Ma Démarche FSE"
        verbose_name_plural = "exports Ma Démarche FSE"
        ordering = ["-le", "-pk"]
        indexes = [models.Index(fields=["operation", "-le"], name="export_fse_operation_le")]

    def __str__(self):
        fichier = "sorties" if self.sorties else "entrées"
        return f"Export des {fichier} de l'opération {self.operation_id} le {self.le:%d/%m/%Y}"
