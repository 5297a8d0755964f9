"""L'opération FSE+ : une convention du PLIE dans Ma Démarche FSE (docs/fse.md)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from parcours.core.validators import texte_sur_une_ligne
from parcours.fse.enums import TypeOperation


class OperationFseQuerySet(models.QuerySet):
    def en_cours_le(self, jour: datetime.date):
        return self.filter(debut__lte=jour).filter(Q(fin__isnull=True) | Q(fin__gte=jour))


class OperationFse(models.Model):
    """Une opération cofinancée : son numéro dans Ma Démarche FSE, sa structure porteuse (celle
    des référents pour l'accompagnement, le prestataire pour une action), ses financeurs, sa
    période. Ne pas confondre avec `clauses.Operation` (une opération de clauses sociales)."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="operations_fse")
    numero = models.CharField(
        "numéro Ma Démarche FSE",
        max_length=30,
        validators=[texte_sur_une_ligne],
        help_text="Le numéro de l'opération dans Ma Démarche FSE (par exemple 202100123).",
    )
    libelle = models.CharField("libellé", max_length=200, validators=[texte_sur_une_ligne])
    type = models.CharField("type", max_length=20, choices=TypeOperation.choices)
    structure_porteuse = models.ForeignKey(
        "core.Structure",
        on_delete=models.PROTECT,
        related_name="operations_fse_portees",
        verbose_name="structure porteuse",
    )
    financeurs = models.ManyToManyField(
        "core.Structure", blank=True, related_name="operations_fse_financees"
    )
    debut = models.DateField("début")
    fin = models.DateField("fin", null=True, blank=True)

    objects = OperationFseQuerySet.as_manager()

    class Meta:
        verbose_name = "opération FSE+"
        verbose_name_plural = "opérations FSE+"
        ordering = ["plie", "-debut", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["plie", "numero"], name="operation_fse_numero_unique"),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=models.F("debut")),
                name="operation_fse_periode_ordonnee",
                violation_error_message="La fin de l'opération précède son début.",
            ),
            models.CheckConstraint(
                condition=Q(type__in=[t.value for t in TypeOperation]),
                name="operation_fse_type_connu",
            ),
        ]
        indexes = [models.Index(fields=["structure_porteuse", "type", "debut"])]

    def __str__(self):
        return f"{self.numero} — {self.libelle}"

    def clean(self):
        if self.fin and self.debut and self.fin < self.debut:
            raise ValidationError(
                {
                    "fin": f"La fin de l'opération ({self.fin:%d/%m/%Y}) précède son début "
                    f"({self.debut:%d/%m/%Y})."
                }
            )
        porteuse = self.structure_porteuse if self.structure_porteuse_id else None
        if porteuse is not None and self.plie_id and porteuse.plie_id != self.plie_id:
            raise ValidationError(
                {"structure_porteuse": "La structure porteuse n'est pas de ce PLIE."}
            )


def operation_d_accompagnement(plie_id: int, structure_id: int | None, jour: datetime.date):
    """L'opération d'accompagnement portée par la structure du référent ce jour-là (la plus
    récente si plusieurs se chevauchent), ou None."""
    if structure_id is None or jour is None:
        return None
    return (
        OperationFse.objects.en_cours_le(jour)
        .filter(plie_id=plie_id, structure_porteuse_id=structure_id)
        .filter(type=TypeOperation.ACCOMPAGNEMENT)
        .order_by("-debut", "-pk")
        .first()
    )
