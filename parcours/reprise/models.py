"""La provenance de chaque ligne reprise d'un autre outil (docs/reprise.md).

Une ligne par (PLIE, source, entité, identifiant dans la source) : relancer la même reprise
retrouve l'objet déjà créé et le met à jour au lieu de le dupliquer. `empreinte` résume les
valeurs lues la dernière fois : une ligne identique est « inchangée » et n'écrit rien.
"""

from django.db import models

from parcours.reprise.enums import ENTITES_OBJET, Entite


class Provenance(models.Model):
    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("source", max_length=50)
    entite = models.CharField("entité", max_length=30, choices=Entite.choices)
    source_id = models.CharField("identifiant dans la source", max_length=100)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="provenances",
    )
    parcours = models.ForeignKey(
        "accompagnement.Parcours",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="provenances",
    )
    # Les autres entités (structures, comptes, étapes, entretiens, contrats) : l'id de l'objet.
    # Étapes, entretiens et contrats gardent aussi leur parcours : sa suppression (RGPD) emporte
    # leurs provenances.
    objet_id = models.PositiveBigIntegerField("identifiant de l'objet", null=True, blank=True)
    # La personne (ou la structure, le compte) existait déjà : la ligne lui est liée, ce qu'elle
    # est n'est jamais réécrit par la reprise.
    liee_a_existant = models.BooleanField("liée à une personne déjà connue", default=False)
    empreinte = models.CharField("empreinte des valeurs lues", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "provenance reprise"
        verbose_name_plural = "provenances reprises"
        constraints = [
            models.UniqueConstraint(
                fields=["plie", "source", "entite", "source_id"], name="provenance_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(entite="participant", participant__isnull=False)
                | models.Q(entite="parcours", parcours__isnull=False)
                | models.Q(entite__in=[e.value for e in ENTITES_OBJET], objet_id__isnull=False),
                name="provenance_objet_renseigne",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_entite_display()} {self.source_id}"
