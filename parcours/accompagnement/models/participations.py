"""La participation d'un parcours à une opération FSE+ (docs/fse.md) : ses propres dates
d'entrée et de sortie, son questionnaire FSE+ (`questionnaire.py`). Ses services (ouvrir,
clore, recopier le questionnaire) sont dans `parcours/accompagnement/participations.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from parcours.fse.enums import MotifFinParticipation


class ParticipationFse(models.Model):
    """Un parcours dans une opération FSE+, de sa date d'entrée à sa date de sortie.

    Un parcours entre dans l'opération d'accompagnement de la structure de son référent ; un
    changement de structure du référent clôt la participation et en ouvre une autre (DOMAIN §7 :
    un questionnaire par opération, seed 001:L8016)."""

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="participations_fse"
    )
    operation = models.ForeignKey(
        "fse.OperationFse",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name="opération",
    )
    structure = models.ForeignKey(
        "core.Structure",
        on_delete=models.PROTECT,
        related_name="participations_fse",
        verbose_name="structure du référent",
    )
    date_entree = models.DateField("date d'entrée dans l'opération")
    date_sortie = models.DateField("date de sortie de l'opération", null=True, blank=True)
    motif_fin = models.CharField(
        "motif de fin", max_length=30, choices=MotifFinParticipation.choices, blank=True
    )
    ouverte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ouverte par",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "participation à une opération FSE+"
        verbose_name_plural = "participations aux opérations FSE+"
        ordering = ["parcours", "date_entree", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_sortie__isnull=True) | Q(date_sortie__gte=models.F("date_entree")),
                name="participation_sortie_apres_entree",
            ),
            models.CheckConstraint(
                condition=Q(date_sortie__isnull=True, motif_fin="")
                | Q(date_sortie__isnull=False) & ~Q(motif_fin=""),
                name="participation_motif_si_close",
            ),
            # Une seule participation ouverte par parcours et par opération.
            models.UniqueConstraint(
                fields=["parcours", "operation"],
                condition=Q(date_sortie__isnull=True),
                name="participation_ouverte_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["operation", "date_entree"], name="participation_op_entree"),
            models.Index(fields=["operation", "date_sortie"], name="participation_op_sortie"),
        ]

    def __str__(self):
        return f"Participation du parcours {self.parcours_id} à l'opération {self.operation_id}"

    @property
    def ouverte(self) -> bool:
        return self.date_sortie is None
