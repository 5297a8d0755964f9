"""Les heures d'insertion réalisées, par marché, personne et mois, et leur journal."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.clauses.enums import SourceHeures
from parcours.clauses.models.candidats import CandidatExterne
from parcours.clauses.models.contraintes import participant_xor_externe
from parcours.clauses.models.marches import Marche
from parcours.core import nombres
from parcours.core.validators import texte_sur_une_ligne


class HeuresRealisees(models.Model):
    """Les heures d'insertion d'une personne sur un marché pour un mois (fiche de suivi).

    Une ligne par (marché, personne, mois) : un nouvel import du même mois la remplace.
    `siret` est celui de l'employeur qui déclare (attributaire, sous-traitant, SIAE, GEIQ,
    agence d'intérim) ; `entreprise` le relie au réseau du PLIE quand il y figure.
    """

    marche = models.ForeignKey(
        Marche, on_delete=models.PROTECT, related_name="heures", verbose_name="marché"
    )
    # Sans index propre : celui de (personne, mois), plus bas, sert aussi la clé seule.
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heures_clauses",
        db_index=False,
    )
    candidat_externe = models.ForeignKey(
        CandidatExterne,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heures",
        db_index=False,
    )
    mois = models.DateField("mois", help_text="Premier jour du mois.")
    heures = models.DecimalField("heures", max_digits=7, decimal_places=2)
    siret = models.CharField("SIRET du déclarant", max_length=14, validators=[texte_sur_une_ligne])
    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="heures_clauses",
        verbose_name="entreprise déclarante",
    )
    source = models.CharField("source", max_length=10, choices=SourceHeures.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistrées par",
    )
    created_at = models.DateTimeField("enregistrées le", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "heures réalisées"
        verbose_name_plural = "heures réalisées"
        ordering = ["marche", "mois", "id"]
        constraints = [
            participant_xor_externe("heures"),
            models.UniqueConstraint(
                fields=["marche", "participant", "mois"],
                condition=Q(participant__isnull=False),
                name="heures_participant_une_ligne_par_mois",
                violation_error_message="Des heures sont déjà saisies pour ce mois.",
            ),
            models.UniqueConstraint(
                fields=["marche", "candidat_externe", "mois"],
                condition=Q(candidat_externe__isnull=False),
                name="heures_externe_une_ligne_par_mois",
                violation_error_message="Des heures sont déjà saisies pour ce mois.",
            ),
            models.CheckConstraint(
                condition=Q(mois__day=1),
                name="heures_mois_premier_jour",
                violation_error_message="Le mois est enregistré au premier jour du mois.",
            ),
            models.CheckConstraint(
                condition=Q(heures__gte=0),
                name="heures_positives",
                violation_error_message="Les heures ne peuvent pas être négatives.",
            ),
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="heures_siret_14_chiffres"
            ),
        ]
        indexes = [
            models.Index(fields=["marche", "mois"]),
            # Les heures d'une personne par mois (contrôle d'un import : `heures_existantes`) ;
            # servent aussi les clés étrangères seules (qui n'ont pas d'index à elles).
            models.Index(fields=["participant", "mois"]),
            models.Index(fields=["candidat_externe", "mois"]),
        ]

    def __str__(self):
        return f"{self.marche.numero} — {self.mois:%m/%Y} — {nombres.heures(self.heures)}"

    @property
    def personne(self):
        return self.participant if self.participant_id else self.candidat_externe


class JournalHeures(models.Model):
    """Chaque valeur d'heures fournie qui crée ou change une ligne `HeuresRealisees` : qui,
    quand, avant / après, par quelle voie (saisie, import et son fichier). Écrit dans la même
    transaction que la ligne ; un réimport identique n'écrit rien."""

    ligne = models.ForeignKey(
        HeuresRealisees, on_delete=models.PROTECT, related_name="journal", verbose_name="heures"
    )
    ancien = models.DecimalField(
        "heures avant", max_digits=7, decimal_places=2, null=True, blank=True
    )
    nouveau = models.DecimalField("heures après", max_digits=7, decimal_places=2)
    ancien_siret = models.CharField(
        "SIRET avant", max_length=14, blank=True, validators=[texte_sur_une_ligne]
    )
    nouveau_siret = models.CharField("SIRET après", max_length=14, validators=[texte_sur_une_ligne])
    source = models.CharField("source", max_length=10, choices=SourceHeures.choices)
    fichier = models.CharField(
        "fichier importé", max_length=255, blank=True, validators=[texte_sur_une_ligne]
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistrées par",
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "modification d'heures"
        verbose_name_plural = "journal des heures"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ligne", "at"])]

    def __str__(self):
        ancien = nombres.nombre(self.ancien) if self.ancien is not None else "—"
        return f"{ancien} → {nombres.heures(self.nouveau)}"
