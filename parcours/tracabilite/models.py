"""Le journal des accès (RGPD, sécurité) : qui a ouvert quel dossier, téléchargé quel document,
exporté quelle liste, qui s'est connecté ou a échoué, quelle action a été refusée.

Une ligne n'est jamais modifiée ; elle est purgée au terme de sa durée de conservation
(docs/rgpd.md). La personne concernée est désignée par l'identifiant de son participant, sans clé
étrangère : la trace survit à l'anonymisation de l'identité et ne dépend d'aucune application
au-dessus de `core`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.tracabilite.enums import TypeTrace


class Trace(models.Model):
    at = models.DateTimeField("le", default=timezone.now)
    type = models.CharField("type", max_length=20, choices=TypeTrace.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    # L'identifiant saisi (échec de connexion) ou celui du compte au moment de la trace.
    identifiant = models.CharField("identifiant", max_length=150, blank=True)
    plie = models.ForeignKey(
        "core.PLIE", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participant_id = models.BigIntegerField("participant", null=True, blank=True)
    objet_type = models.CharField("objet", max_length=50, blank=True)
    objet_id = models.CharField("identifiant de l'objet", max_length=50, blank=True)
    chemin = models.CharField("adresse", max_length=500, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    detail = models.CharField("détail", max_length=500, blank=True)

    class Meta:
        verbose_name = "trace d'accès"
        verbose_name_plural = "journal des accès"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["plie", "-at"], name="trace_plie_at"),
            models.Index(fields=["participant_id", "-at"], name="trace_participant_at"),
            models.Index(fields=["user", "-at"], name="trace_user_at"),
            models.Index(fields=["at"], name="trace_at"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.identifiant} — {self.at:%d/%m/%Y %H:%M}"
