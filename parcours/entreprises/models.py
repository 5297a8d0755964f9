"""Relations entreprises (CRE) : le réseau d'entreprises d'un PLIE, leurs contacts, leurs offres.

Invariants tenus par la base : un SIRET (14 chiffres) n'apparaît qu'une fois par PLIE.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from parcours.entreprises.enums import TrancheEffectif
from parcours.entreprises.siret import normaliser_siret, valider_siret
from parcours.participants.normalisation import normaliser


class EntrepriseQuerySet(models.QuerySet):
    def recherche(self, texte: str):
        """Par raison sociale (sans accents ni casse) ou par SIRET / SIREN."""
        qs = self
        chiffres = normaliser_siret(texte)
        if chiffres.isdigit() and len(chiffres) >= 3:
            return qs.filter(siret__startswith=chiffres)
        for mot in normaliser(texte).split():
            qs = qs.filter(recherche__contains=mot)
        return qs


class Entreprise(models.Model):
    """Une entreprise (établissement, identifié par son SIRET) du réseau d'un PLIE."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="entreprises")
    raison_sociale = models.CharField("raison sociale", max_length=200)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        validators=[valider_siret],
        help_text="14 chiffres : SIREN (9) et numéro d'établissement (5).",
    )
    secteur = models.CharField(
        "secteur d'activité",
        max_length=200,
        blank=True,
        help_text="Code NAF (ex. 43.21A) ou libellé libre.",
    )
    tranche_effectif = models.CharField(
        "effectif", max_length=10, choices=TrancheEffectif.choices, blank=True
    )
    partenaire = models.BooleanField(
        "partenaire du PLIE", default=False, help_text="Entreprise engagée dans le réseau du PLIE."
    )
    adresse = models.CharField("adresse", max_length=300, blank=True)
    commune = models.CharField("commune", max_length=200, blank=True)
    recherche = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )

    objects = EntrepriseQuerySet.as_manager()

    class Meta:
        verbose_name = "entreprise"
        ordering = ["raison_sociale", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plie", "siret"],
                name="entreprise_siret_unique_par_plie",
                violation_error_message="Une entreprise de ce PLIE porte déjà ce SIRET.",
            ),
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="entreprise_siret_14_chiffres"
            ),
        ]
        indexes = [
            models.Index(fields=["plie", "partenaire"]),
            models.Index(fields=["plie", "secteur"]),
        ]

    def __str__(self):
        return self.raison_sociale

    def save(self, *args, **kwargs):
        self.siret = normaliser_siret(self.siret)
        self.recherche = normaliser(self.raison_sociale)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche", "siret"}
        super().save(*args, **kwargs)

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def est_tpe(self) -> bool:
        return self.tranche_effectif in (TrancheEffectif.AUCUN, TrancheEffectif.TPE)
