"""Les entretiens et contacts avec la personne, ou les rendez-vous manqués (docs/accompagnement.md).
Services : `parcours/accompagnement/suivi/entretiens.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.accompagnement.enums import CANAUX_PHYSIQUES, CanalContact, Presence
from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.fichiers import aide
from parcours.core.validators import texte_sur_plusieurs_lignes


# Référencé par la migration 0005 : les noms sont désormais aléatoires (ChampDocument).
def chemin_emargement(instance, filename):
    return nom_aleatoire(TypeDocument.EMARGEMENT_ENTRETIEN, filename)


class Entretien(models.Model):
    """Un entretien ou un contact avec la personne (ou un rendez-vous manqué).

    Pour un entretien physique, la feuille d'émargement signée en est la preuve. Une absence
    injustifiée déclenche les relances du référentiel (courrier puis appel :
    workflows/suivi/flows.py).
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="entretiens"
    )
    date = models.DateTimeField("date et heure")
    canal = models.CharField("canal", max_length=30, choices=CanalContact.choices)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    note = models.TextField("compte rendu", blank=True, validators=[texte_sur_plusieurs_lignes])
    emargement = ChampDocument(
        "feuille d'émargement",
        type_document=TypeDocument.EMARGEMENT_ENTRETIEN,
        blank=True,
        max_length=300,
        help_text=aide(),
    )
    presence = models.CharField(
        "présence", max_length=20, choices=Presence.choices, default=Presence.PRESENT
    )
    motif_absence = models.TextField(
        "motif de l'absence", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "entretien"
        verbose_name_plural = "entretiens"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(canal__in=[c.value for c in CanalContact]), name="entretien_canal_connu"
            ),
            models.CheckConstraint(
                condition=Q(presence__in=[p.value for p in Presence]),
                name="entretien_presence_connue",
            ),
            models.CheckConstraint(
                condition=Q(presence=Presence.PRESENT) | Q(emargement=""),
                name="entretien_emargement_si_present",
                violation_error_message="Pas de feuille d'émargement pour une personne absente.",
            ),
        ]
        indexes = [
            models.Index(fields=["parcours", "date"]),
            models.Index(fields=["updated_at"], name="entretien_modifie_le"),
        ]

    def __str__(self):
        return f"{self.get_canal_display()} du {timezone.localtime(self.date):%d/%m/%Y}"

    @property
    def physique(self) -> bool:
        return self.canal in CANAUX_PHYSIQUES

    @property
    def absent(self) -> bool:
        return self.presence != Presence.PRESENT

    @property
    def emargement_manquant(self) -> bool:
        """Un entretien physique tenu sans feuille d'émargement déposée."""
        return self.physique and not self.absent and not self.emargement
