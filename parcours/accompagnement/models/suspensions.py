"""Les suspensions (veille) du parcours et le journal de leurs renouvellements
(docs/accompagnement.md). Services : `parcours/accompagnement/suivi/suspensions.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from parcours.accompagnement.enums import MotifSuspension
from parcours.core.validators import texte_sur_plusieurs_lignes


class SuspensionQuerySet(models.QuerySet):
    def en_cours(self):
        return self.filter(levee_le__isnull=True)


class Suspension(models.Model):
    """Une période de veille : le parcours est suspendu (transition `suspendre`) jusqu'à sa levée
    (transition `reprendre`). Les horloges du suivi (entretien mensuel, inactivité) s'arrêtent.

    `fin_prevue` : début + la durée du référentiel (`suivi.suspension_mois`) ; chaque
    renouvellement la repousse et laisse une ligne de `RenouvellementSuspension`.
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="suspensions"
    )
    motif = models.CharField("motif", max_length=20, choices=MotifSuspension.choices)
    precision = models.TextField("précision", blank=True, validators=[texte_sur_plusieurs_lignes])
    debut = models.DateField("début")
    fin_prevue = models.DateField("fin prévue")
    renouvellements = models.PositiveSmallIntegerField("renouvellements", default=0)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="suspendu par",
    )
    le = models.DateTimeField("saisie le", default=timezone.now)
    levee_le = models.DateField("levée le", null=True, blank=True)
    levee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="levée par",
    )
    motif_levee = models.TextField(
        "motif de la levée", blank=True, validators=[texte_sur_plusieurs_lignes]
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = "suspension de parcours"
        verbose_name_plural = "suspensions de parcours"
        ordering = ["-debut", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcours"],
                condition=Q(levee_le__isnull=True),
                name="une_suspension_en_cours_par_parcours",
                violation_error_message="Ce parcours a déjà une suspension en cours.",
            ),
            models.CheckConstraint(
                condition=Q(fin_prevue__gte=F("debut")),
                name="suspension_fin_apres_debut",
                violation_error_message="La fin prévue ne peut pas précéder le début.",
            ),
            models.CheckConstraint(
                condition=Q(levee_le__isnull=True)
                | (Q(levee_le__gte=F("debut")) & Q(levee_par__isnull=False)),
                name="suspension_levee_datee_et_signee",
            ),
            models.CheckConstraint(
                condition=Q(motif__in=[m.value for m in MotifSuspension]),
                name="suspension_motif_connu",
            ),
        ]
        indexes = [models.Index(fields=["parcours", "debut"])]

    def __str__(self):
        return f"Suspension ({self.get_motif_display().lower()}) du {self.debut:%d/%m/%Y}"

    @property
    def en_cours(self) -> bool:
        return self.levee_le is None

    @property
    def fin_effective(self):
        return self.levee_le or self.fin_prevue


class RenouvellementSuspension(models.Model):
    """Journal des renouvellements d'une suspension : qui, quand, de quelle fin à quelle fin."""

    suspension = models.ForeignKey(
        Suspension, on_delete=models.CASCADE, related_name="journal_renouvellements"
    )
    ancienne_fin = models.DateField("ancienne fin prévue")
    nouvelle_fin = models.DateField("nouvelle fin prévue")
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    le = models.DateTimeField("le", default=timezone.now)
    motif = models.TextField("motif", blank=True, validators=[texte_sur_plusieurs_lignes])

    class Meta:
        verbose_name = "renouvellement de suspension"
        verbose_name_plural = "renouvellements de suspension"
        ordering = ["le", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nouvelle_fin__gt=F("ancienne_fin")),
                name="renouvellement_repousse_la_fin",
            ),
        ]

    def __str__(self):
        return f"Renouvellement jusqu'au {self.nouvelle_fin:%d/%m/%Y}"
