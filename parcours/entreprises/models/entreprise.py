"""Le réseau d'entreprises d'un PLIE et les échanges avec elles.

Invariants tenus par la base : un SIRET (14 chiffres) n'apparaît qu'une fois par PLIE ; un
contact a un canal connu.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
from parcours.entreprises.enums import CanalContactEntreprise, TrancheEffectif
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
    raison_sociale = models.CharField(
        "raison sociale", max_length=200, validators=[texte_sur_une_ligne]
    )
    siret = models.CharField(
        "SIRET",
        max_length=14,
        validators=[texte_sur_une_ligne, valider_siret],
        help_text="14 chiffres : SIREN (9) et numéro d'établissement (5).",
    )
    secteur = models.CharField(
        "secteur d'activité",
        max_length=200,
        blank=True,
        help_text="Code NAF (ex. 43.21A) ou libellé libre.",
        validators=[texte_sur_une_ligne],
    )
    tranche_effectif = models.CharField(
        "effectif", max_length=10, choices=TrancheEffectif.choices, blank=True
    )
    partenaire = models.BooleanField(
        "partenaire du PLIE", default=False, help_text="Entreprise engagée dans le réseau du PLIE."
    )
    adresse = models.CharField(
        "adresse", max_length=300, blank=True, validators=[texte_sur_une_ligne]
    )
    commune = models.CharField(
        "commune", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    recherche = models.CharField(max_length=400, editable=False, db_index=True)
    # Protège des écritures concurrentes : une modification porte la version lue.
    version = models.PositiveIntegerField(default=1, editable=False)
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

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            # Le doublon de SIRET s'affiche sur le champ SIRET du formulaire.
            erreurs = exc.update_error_dict({})
            generales = erreurs.pop(NON_FIELD_ERRORS, [])
            doublon = [e for e in generales if "SIRET" in str(e)]
            if doublon:
                erreurs.setdefault("siret", []).extend(doublon)
            autres = [e for e in generales if e not in doublon]
            if autres:
                erreurs[NON_FIELD_ERRORS] = autres
            raise ValidationError(erreurs) from None

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def est_tpe(self) -> bool:
        return self.tranche_effectif in (TrancheEffectif.AUCUN, TrancheEffectif.TPE)


class ContactEntreprise(models.Model):
    """Un échange avec l'entreprise : quand, par quel canal, avec qui, par qui, ce qui s'est dit."""

    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField("date", default=timezone.localdate)
    canal = models.CharField("canal", max_length=20, choices=CanalContactEntreprise.choices)
    interlocuteur = models.CharField(
        "interlocuteur",
        max_length=200,
        blank=True,
        help_text="Nom et fonction dans l'entreprise.",
        validators=[texte_sur_une_ligne],
    )
    note = models.TextField("compte rendu", validators=[texte_sur_plusieurs_lignes])
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contact entreprise"
        verbose_name_plural = "contacts entreprise"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["entreprise", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(canal__in=CanalContactEntreprise.values), name="contact_canal_connu"
            ),
        ]

    def __str__(self):
        return f"{self.get_canal_display()} le {self.date:%d/%m/%Y}"
