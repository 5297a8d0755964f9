from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne


class Courriel(models.Model):
    """Un courriel envoyé par l'application, conservé pour être relu dans le dossier."""

    parcours = models.ForeignKey(
        "accompagnement.Parcours",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="courriels",
    )
    destinataires = ArrayField(models.EmailField(), verbose_name="destinataires")
    sujet = models.CharField("sujet", max_length=250, validators=[texte_sur_une_ligne])
    corps = models.TextField("message", validators=[texte_sur_plusieurs_lignes])
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)
    envoye_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erreur = models.TextField("erreur d'envoi", blank=True, validators=[texte_sur_plusieurs_lignes])

    class Meta:
        verbose_name = "courriel"
        ordering = ["-envoye_le", "-id"]
        indexes = [models.Index(fields=["parcours", "envoye_le"])]

    def __str__(self):
        return self.sujet
