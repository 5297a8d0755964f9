"""Une personne positionnée sur une clause sans être participante du PLIE."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.validators import texte_sur_une_ligne
from parcours.participants.enums import NiveauQualification, Sexe
from parcours.participants.normalisation import normaliser
from parcours.referentiel.calendrier import mois_revolus


class CandidatExterne(models.Model):
    """Une personne positionnée sur une clause sans être participante du PLIE (001:L4348).

    Données minimales : identité, commune, et les publics qui comptent pour l'éligibilité et les
    bilans d'équité (000:L570). Son numéro (`EXT-000123`) la désigne dans l'import des heures.
    """

    plie = models.ForeignKey(
        "core.PLIE", on_delete=models.PROTECT, related_name="candidats_externes"
    )
    nom = models.CharField("nom", max_length=150, validators=[texte_sur_une_ligne])
    prenom = models.CharField("prénom", max_length=150, validators=[texte_sur_une_ligne])
    date_naissance = models.DateField("date de naissance")
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    commune_insee = models.CharField(
        "commune (code INSEE)", max_length=5, blank=True, validators=[texte_sur_une_ligne]
    )
    commune_nom = models.CharField(
        "commune", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    rsa = models.BooleanField("allocataire du RSA", default=False)
    qpv = models.BooleanField("résident d'un quartier prioritaire (QPV)", default=False)
    rqth = models.BooleanField("RQTH", default=False)
    rqth_jusqu_au = models.DateField("RQTH valable jusqu'au", null=True, blank=True)
    deld = models.BooleanField(
        "demandeur d'emploi de longue durée (12 mois et plus)", default=False
    )
    salarie_iae = models.BooleanField(
        "salarié en insertion (parcours IAE en cours)",
        default=False,
        help_text="Embauché par une SIAE (ACI, EI, AI, ETTI) avec un parcours IAE en cours.",
    )
    niveau_qualification = models.PositiveSmallIntegerField(
        "niveau de qualification", choices=NiveauQualification.choices, null=True, blank=True
    )
    structure = models.ForeignKey(
        "core.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidats_externes",
        verbose_name="structure qui l'a proposé",
    )
    recherche = models.CharField(max_length=400, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistré par",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "candidat externe"
        verbose_name_plural = "candidats externes"
        ordering = ["nom", "prenom", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rqth=True) | Q(rqth_jusqu_au__isnull=True),
                name="candidat_externe_rqth_coherente",
                violation_error_message="Une date de validité RQTH suppose une RQTH.",
            ),
        ]

    def __str__(self):
        return f"{self.nom.upper()} {self.prenom}"

    def save(self, *args, **kwargs):
        self.recherche = normaliser(f"{self.nom} {self.prenom}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche"}
        super().save(*args, **kwargs)

    @property
    def numero(self) -> str:
        return f"EXT-{self.pk:06d}"

    def age_au(self, date: datetime.date) -> int:
        return mois_revolus(self.date_naissance, date) // 12

    def moins_26(self, date: datetime.date | None = None) -> bool:
        """Moins de 26 ans à `date` (aujourd'hui par défaut) : dérivé de la date de naissance."""
        return self.age_au(date or timezone.localdate()) < 26
