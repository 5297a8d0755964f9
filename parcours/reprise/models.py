"""La provenance de chaque ligne reprise d'un autre outil (docs/reprise.md).

Une ligne par (PLIE, source, entité, identifiant dans la source) : relancer la même reprise
retrouve l'objet déjà créé et le met à jour au lieu de le dupliquer. `empreinte` résume les
valeurs lues la dernière fois : une ligne identique est « inchangée » et n'écrit rien.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
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


class ProvenanceClause(models.Model):
    """La provenance d'une ligne reprise des clauses sociales (donneurs d'ordre… positionnements) :
    même rôle que `Provenance`, l'objet désigné par sa clé (`objet_id`) dans la table de son
    entité. Les heures n'en ont pas : leur clé (marché, personne, mois) suffit à les retrouver."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("source", max_length=50)
    entite = models.CharField("entité", max_length=30, choices=Entite.choices)
    source_id = models.CharField("identifiant dans la source", max_length=100)
    objet_id = models.PositiveBigIntegerField("identifiant de l'objet")
    empreinte = models.CharField("empreinte des valeurs lues", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "provenance reprise (clauses)"
        verbose_name_plural = "provenances reprises (clauses)"
        constraints = [
            models.UniqueConstraint(
                fields=["plie", "source", "entite", "source_id"],
                name="provenance_clause_unique",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_entite_display()} {self.source_id}"


class EtatTravail(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINEE = "terminee", "Terminée"
    ECHOUEE = "echouee", "Échouée"


class TravailReprise(models.Model):
    """Une reprise confirmée à l'écran et faite en tâche de fond (docs/reprise.md, « En tâche
    de fond ») : les fichiers de l'aperçu, gardés par le stockage des documents (partagé par les
    nœuds), attendent qu'une passe de `executer_reprises` prenne le travail ; le rapport reste."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="+")
    lance_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lance_le = models.DateTimeField("lancé le", default=timezone.now)
    etat = models.CharField(
        "état", max_length=20, choices=EtatTravail.choices, default=EtatTravail.EN_ATTENTE
    )
    # Le jeton de l'aperçu confirmé : relie le travail aux traces de l'aperçu.
    jeton = models.CharField("jeton de l'aperçu", max_length=64, validators=[texte_sur_une_ligne])
    correspondance = models.TextField(
        "correspondance (YAML)", validators=[texte_sur_plusieurs_lignes]
    )
    correspondance_nom = models.CharField(
        "nom de la correspondance", max_length=200, validators=[texte_sur_une_ligne]
    )
    # Nom déposé -> nom dans le stockage ; vidé une fois le travail fini (fichiers supprimés).
    fichiers = models.JSONField("fichiers déposés", default=dict)
    noms = models.JSONField("noms des fichiers", default=list)
    lignes = models.PositiveIntegerField("lignes de l'aperçu", default=0)
    pris_le = models.DateTimeField("pris le", null=True, blank=True)
    pris_par = models.CharField(
        "pris par (nœud)", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    fini_le = models.DateTimeField("fini le", null=True, blank=True)
    rapport = models.JSONField("rapport", null=True, blank=True)
    rapport_xlsx = models.CharField(
        "rapport XLSX (stockage)", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    motif = models.TextField(
        "motif de l'échec", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    # Le courriel de fin à celui qui l'a lancé, gardé comme les autres courriels de l'application.
    courriel = models.ForeignKey(
        "courriels.Courriel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "travail de reprise"
        verbose_name_plural = "travaux de reprise"
        ordering = ["-lance_le", "-pk"]
        indexes = [
            # La passe cherche le plus ancien travail en attente ; l'écran, ceux d'un PLIE.
            models.Index(
                fields=["lance_le"],
                condition=models.Q(etat="en_attente"),
                name="travail_reprise_en_attente",
            ),
            models.Index(fields=["plie", "-lance_le"], name="travail_reprise_plie"),
        ]

    def __str__(self):
        return f"Reprise {self.pk} ({self.get_etat_display()})"

    @property
    def fini(self) -> bool:
        return self.etat in (EtatTravail.TERMINEE, EtatTravail.ECHOUEE)
