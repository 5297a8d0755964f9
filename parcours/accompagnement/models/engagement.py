"""L'engagement (premier entretien) : contrat d'engagement réciproque et pièces justificatives
d'entrée (docs/engagement.md) ; le questionnaire FSE+ d'entrée est dans `questionnaire.py`.

Les règles propres à chaque PLIE (signataires, pièces) viennent de la section `engagement` de son
référentiel ; les services sont dans le paquet `parcours/accompagnement/engagement/`.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.contraintes import ContraintesEnUneRequete
from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.fichiers import aide, valider_document
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne

# — Fichiers déposés (copie signée du contrat, pièces d'entrée) : parcours/core/documents.py —

# Référencés par les migrations 0004 et 0005 : les noms sont désormais aléatoires (ChampDocument).
valider_fichier = valider_document


def chemin_contrat(instance, filename):
    return nom_aleatoire(TypeDocument.CONTRAT_ENGAGEMENT, filename)


def chemin_copie_signee(instance, filename):
    return nom_aleatoire(TypeDocument.CONTRAT_SIGNE, filename)


def chemin_piece(instance, filename):
    return nom_aleatoire(TypeDocument.PIECE_ENTREE, filename)


# — Contrat d'engagement réciproque —


class Signataire(models.TextChoices):
    PARTICIPANT = "participant", "le participant"
    REFERENT = "referent", "le référent"
    ANIMATION = "animation", "l'équipe d'animation"


# Le participant et son référent signent toujours ; l'équipe d'animation quand le référentiel
# du PLIE le prévoit (`engagement.signataires`).
SIGNATAIRES_OBLIGATOIRES = (Signataire.PARTICIPANT, Signataire.REFERENT)
CHAMPS_SIGNATURE = {
    Signataire.PARTICIPANT: "date_signature_participant",
    Signataire.REFERENT: "date_signature_referent",
    Signataire.ANIMATION: "date_signature_animation",
}


class ContratEngagement(ContraintesEnUneRequete):
    """Le contrat d'engagement réciproque signé au premier entretien.

    Signé quand chaque signataire requis a une date de signature et que la copie signée est
    déposée. Les signataires requis sont figés à la création, d'après le référentiel en vigueur.
    """

    parcours = models.OneToOneField(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="contrat_engagement"
    )
    signataires = ArrayField(
        models.CharField(max_length=20, choices=Signataire.choices),
        verbose_name="signataires requis",
    )
    objectifs = models.TextField(
        "objectifs du parcours", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    fichier = ChampDocument(
        "contrat généré (PDF)", type_document=TypeDocument.CONTRAT_ENGAGEMENT, blank=True
    )
    genere_le = models.DateTimeField("généré le", null=True, blank=True)
    genere_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="généré par",
    )
    date_signature_participant = models.DateField(
        "date de signature du participant", null=True, blank=True
    )
    date_signature_referent = models.DateField(
        "date de signature du référent", null=True, blank=True
    )
    date_signature_animation = models.DateField(
        "date de signature de l'équipe d'animation", null=True, blank=True
    )
    copie_signee = ChampDocument(
        "copie signée", type_document=TypeDocument.CONTRAT_SIGNE, blank=True, help_text=aide()
    )
    copie_deposee_le = models.DateTimeField("copie déposée le", null=True, blank=True)
    copie_deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="copie déposée par",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "contrat d'engagement réciproque"
        verbose_name_plural = "contrats d'engagement réciproque"
        constraints = [
            models.CheckConstraint(
                condition=Q(signataires__contains=[s.value for s in SIGNATAIRES_OBLIGATOIRES])
                & Q(signataires__contained_by=[s.value for s in Signataire]),
                name="contrat_signataires_valides",
                violation_error_message=(
                    "Le participant et le référent signent toujours le contrat ; seule l'équipe "
                    "d'animation peut s'y ajouter."
                ),
            ),
            models.CheckConstraint(
                condition=Q(date_signature_animation__isnull=True)
                | Q(signataires__contains=[Signataire.ANIMATION.value]),
                name="contrat_signature_animation_si_signataire",
                violation_error_message=(
                    "L'équipe d'animation ne signe pas ce contrat : pas de date de signature."
                ),
            ),
            models.CheckConstraint(
                condition=Q(copie_signee="") | Q(copie_deposee_le__isnull=False),
                name="contrat_copie_signee_datee",
            ),
        ]

    def __str__(self):
        return f"Contrat d'engagement du parcours {self.parcours_id}"

    def date_signature(self, signataire) -> datetime.date | None:
        return getattr(self, CHAMPS_SIGNATURE[Signataire(signataire)])

    def signatures_manquantes(self) -> list[Signataire]:
        return [Signataire(s) for s in self.signataires if self.date_signature(s) is None]

    @property
    def a_une_signature(self) -> bool:
        return any(self.date_signature(s) is not None for s in Signataire) or bool(
            self.copie_signee
        )

    @property
    def est_signe(self) -> bool:
        """Chaque signataire requis a signé (date) et la copie signée est déposée."""
        return not self.signatures_manquantes() and bool(self.copie_signee)


# — Pièces justificatives d'entrée (liste du référentiel : `engagement.pieces`) —


class PieceEntree(models.Model):
    """Une pièce de la liste d'entrée du référentiel, déposée pour un parcours (une par code ;
    un nouveau dépôt remplace le précédent)."""

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="pieces_entree"
    )
    code = models.CharField("pièce", max_length=50, validators=[texte_sur_une_ligne])
    libelle = models.CharField("libellé", max_length=200, validators=[texte_sur_une_ligne])
    fichier = ChampDocument("fichier", type_document=TypeDocument.PIECE_ENTREE, help_text=aide())
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="déposée par",
    )
    le = models.DateTimeField("déposée le", default=timezone.now)

    class Meta:
        verbose_name = "pièce d'entrée"
        verbose_name_plural = "pièces d'entrée"
        ordering = ["parcours", "code"]
        constraints = [
            models.UniqueConstraint(fields=["parcours", "code"], name="piece_entree_unique"),
            models.CheckConstraint(condition=~Q(fichier=""), name="piece_entree_avec_fichier"),
        ]

    def __str__(self):
        return f"{self.libelle} (parcours {self.parcours_id})"
