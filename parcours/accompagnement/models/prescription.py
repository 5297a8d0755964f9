"""La prescription d'un parcours : la situation de la personne au moment où on l'oriente vers le
PLIE, ce que le moteur d'éligibilité évalue, et ses statuts déclarés (RSA, QPV, RQTH…)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from parcours.accompagnement.models.parcours import Parcours
from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.validators import texte_sur_plusieurs_lignes
from parcours.participants.enums import Frein, NiveauQualification, StatutSocial


def chemin_cv(instance, filename):
    # Référencé par la migration 0003 : le nom est désormais aléatoire (ChampDocument).
    return nom_aleatoire(TypeDocument.CV, filename)


class Prescription(models.Model):
    """La fiche de prescription : la situation de la personne au moment où on l'oriente.

    Elle fournit les données que le moteur d'éligibilité évalue ; le résultat de l'évaluation et
    une éventuelle dérogation (qui, quand, pourquoi) y sont conservés.
    """

    parcours = models.OneToOneField(Parcours, on_delete=models.CASCADE, related_name="prescription")
    auto_prescription = models.BooleanField("venue de sa propre initiative", default=False)
    motif = models.TextField(
        "motifs de l'orientation vers le PLIE", validators=[texte_sur_plusieurs_lignes]
    )
    sans_emploi_depuis = models.DateField("sans emploi depuis", null=True, blank=True)
    niveau_qualification = models.PositiveSmallIntegerField(
        "niveau de qualification", choices=NiveauQualification.choices, null=True, blank=True
    )
    bac = models.BooleanField("titulaire du baccalauréat", default=False)
    rqth_jusqu_au = models.DateField("RQTH valable jusqu'au", null=True, blank=True)
    suivi_mission_locale = models.BooleanField("suivi par la Mission locale", default=False)
    suivi_cap_emploi = models.BooleanField("suivi par Cap emploi", default=False)
    via_clause = models.BooleanField("orientée au titre d'une clause sociale", default=False)
    freins = ArrayField(
        models.CharField(max_length=30, choices=Frein.choices), default=list, blank=True
    )
    cv = ChampDocument("CV", type_document=TypeDocument.CV, blank=True)
    eligibilite = models.JSONField("dernière évaluation d'éligibilité", null=True, blank=True)
    eligibilite_evaluee_le = models.DateTimeField(null=True, blank=True)
    derogation_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dérogation accordée par",
    )
    derogation_motif = models.TextField(
        "motif de la dérogation", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    derogation_le = models.DateTimeField("dérogation accordée le", null=True, blank=True)
    # La notice d'information (RGPD) remise à la personne à la prescription (docs/rgpd.md) ;
    # vide pour une prescription antérieure à cet enregistrement.
    notice_remise_le = models.DateTimeField("notice d'information remise le", null=True, blank=True)
    notice_remise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="notice d'information remise par",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "prescription"
        indexes = [models.Index(fields=["updated_at"], name="prescription_modifiee_le")]
        constraints = [
            models.CheckConstraint(
                condition=Q(derogation_par__isnull=True)
                | (~Q(derogation_motif="") & Q(derogation_le__isnull=False)),
                name="prescription_derogation_motivee",
            ),
            models.CheckConstraint(
                condition=Q(notice_remise_le__isnull=True, notice_remise_par__isnull=True)
                | Q(notice_remise_le__isnull=False, notice_remise_par__isnull=False),
                name="prescription_notice_datee_et_signee",
            ),
        ]

    def __str__(self):
        return f"Prescription du parcours {self.parcours_id}"

    @property
    def freins_libelles(self) -> str:
        return ", ".join(Frein(code).label for code in self.freins)

    @property
    def eligible(self) -> bool | None:
        return None if self.eligibilite is None else self.eligibilite["eligible"]


class StatutDeclare(models.Model):
    """Un statut de la personne à la prescription (RSA, QPV, RQTH…), avec sa date de début."""

    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="statuts")
    code = models.CharField("statut", max_length=20, choices=StatutSocial.choices)
    depuis = models.DateField("depuis le", null=True, blank=True)

    class Meta:
        verbose_name = "statut déclaré"
        verbose_name_plural = "statuts déclarés"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "code"], name="statut_unique_par_prescription"
            ),
        ]

    def __str__(self):
        return self.get_code_display()
