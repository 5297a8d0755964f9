"""Les événements emploi (job dating, forum, visite d'entreprise) et leur émargement.

Invariants tenus par la base : un type connu ; un participant émarge une fois.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.validators import texte_sur_une_ligne
from parcours.entreprises.enums import TypeEvenement
from parcours.entreprises.models.entreprise import Entreprise


def chemin_emargement(evenement, filename):
    # Référencé par la migration 0002 : le nom est désormais aléatoire (ChampDocument).
    return nom_aleatoire(TypeDocument.EMARGEMENT_EVENEMENT, filename)


class Evenement(models.Model):
    """Un événement emploi (job dating, forum, visite d'entreprise) et son émargement."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="evenements")
    type = models.CharField("type", max_length=20, choices=TypeEvenement.choices)
    titre = models.CharField("titre", max_length=200, validators=[texte_sur_une_ligne])
    date = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200, validators=[texte_sur_une_ligne])
    entreprises = models.ManyToManyField(
        Entreprise, blank=True, related_name="evenements", verbose_name="entreprises présentes"
    )
    feuille_emargement = ChampDocument(
        "feuille d'émargement signée", type_document=TypeDocument.EMARGEMENT_EVENEMENT, blank=True
    )
    emargement_depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emargement_depose_le = models.DateTimeField(null=True, blank=True)
    organise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisé par",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["plie", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypeEvenement.values), name="evenement_type_connu"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.titre} ({self.date:%d/%m/%Y})"


class PresenceEvenement(models.Model):
    """Un participant présent à l'événement (émargement), noté par qui et quand."""

    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="presences")
    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.PROTECT, related_name="presences_evenements"
    )
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "présence à un événement"
        verbose_name_plural = "présences aux événements"
        constraints = [
            models.UniqueConstraint(
                fields=["evenement", "parcours"], name="une_presence_par_evenement_et_parcours"
            ),
        ]

    def __str__(self):
        return f"Présence au {self.evenement}"
