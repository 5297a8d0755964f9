"""Le journal des exports Ma Démarche FSE : qui, quand, quelle opération, quelle période, combien
de lignes écrites et écartées (docs/fse.md). Une ligne n'est jamais modifiée."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.validators import texte_sur_une_ligne


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


class ModeControle(models.TextChoices):
    TIRAGE = "tirage", "Tirage au sort"
    DESIGNATION = "designation", "Participants désignés"


class ControleFse(models.Model):
    """Un contrôle de service fait d'une opération FSE+ sur une période : l'échantillon tiré au
    sort (graine gardée : le même tirage se refait) ou désigné, et qui l'a constitué
    (docs/controle.md). L'échantillon n'est jamais modifié ; un autre tirage est un autre
    contrôle."""

    operation = models.ForeignKey(
        "fse.OperationFse", on_delete=models.PROTECT, related_name="controles"
    )
    du = models.DateField("du")
    au = models.DateField("au")
    mode = models.CharField("mode", max_length=20, choices=ModeControle.choices)
    graine = models.BigIntegerField("graine du tirage", null=True, blank=True)
    taille = models.PositiveIntegerField("taille de l'échantillon")
    population = models.PositiveIntegerField("participations de la période")
    motif = models.CharField(
        "motif ou référence du contrôle", max_length=200, validators=[texte_sur_une_ligne]
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    le = models.DateTimeField("le", default=timezone.now)
    participations = models.ManyToManyField(
        "accompagnement.ParticipationFse", related_name="controles", verbose_name="échantillon"
    )

    class Meta:
        verbose_name = "contrôle de service fait"
        verbose_name_plural = "contrôles de service fait"
        ordering = ["-le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(au__gte=models.F("du")), name="controle_fse_periode_ordonnee"
            ),
            models.CheckConstraint(
                condition=models.Q(mode="designation") | models.Q(graine__isnull=False),
                name="controle_fse_tirage_a_graine",
            ),
        ]

    def __str__(self):
        return f"Contrôle n° {self.pk} — {self.motif}"


class AccesControle(models.Model):
    """Un contrôle ouvert à un contrôleur jusqu'à une date : passé ce jour, plus rien."""

    controle = models.ForeignKey(ControleFse, on_delete=models.CASCADE, related_name="acces")
    controleur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="controles_ouverts",
        verbose_name="contrôleur",
    )
    expire_le = models.DateField("ouvert jusqu'au")
    ouvert_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ouvert_le = models.DateTimeField("ouvert le", default=timezone.now)

    class Meta:
        verbose_name = "accès d'un contrôleur"
        verbose_name_plural = "accès des contrôleurs"
        ordering = ["-ouvert_le", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["controle", "controleur"], name="acces_controle_unique")
        ]
        indexes = [models.Index(fields=["controleur", "expire_le"], name="acces_controleur")]

    def __str__(self):
        return f"Contrôle {self.controle_id} ouvert à {self.controleur} jusqu'au {self.expire_le}"
