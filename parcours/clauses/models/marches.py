"""La commande publique portant une clause : `DonneurOrdre` → `Operation` → `Marche` → `Lot`,
avec ses heures d'insertion prévues, l'entreprise attributaire et ses sous-traitants."""

from django.db import models
from django.db.models import Q

from parcours.clauses.enums import ModaliteClause, ModaliteExecution, TypeDonneurOrdre
from parcours.clauses.models.contraintes import periode_valide
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne


class DonneurOrdre(models.Model):
    """Un acheteur public (État, collectivité, bailleur…) qui inscrit des clauses dans ses marchés.

    `structure` rattache ses comptes utilisateurs (adhésion de rôle `donneur_ordre`) : ils lisent
    les bilans de ses opérations, et rien d'autre (parcours.acces.operations_visibles).
    """

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="donneurs_ordre")
    nom = models.CharField("nom", max_length=200, validators=[texte_sur_une_ligne])
    type = models.CharField("type", max_length=30, choices=TypeDonneurOrdre.choices)
    structure = models.ForeignKey(
        "core.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donneurs_ordre",
        verbose_name="structure des comptes du donneur d'ordre",
        help_text="Les utilisateurs « donneur d'ordre » de cette structure lisent ses bilans.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "donneur d'ordre"
        verbose_name_plural = "donneurs d'ordre"
        ordering = ["nom", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plie", "nom"],
                name="donneur_ordre_nom_unique_par_plie",
                violation_error_message="Un donneur d'ordre de ce PLIE porte déjà ce nom.",
            ),
        ]

    def __str__(self):
        return self.nom


class Operation(models.Model):
    """Un projet du donneur d'ordre (un chantier, un programme de rénovation…)."""

    donneur_ordre = models.ForeignKey(
        DonneurOrdre, on_delete=models.PROTECT, related_name="operations"
    )
    nom = models.CharField("nom", max_length=200, validators=[texte_sur_une_ligne])
    description = models.TextField(
        "description", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    date_debut = models.DateField("début", null=True, blank=True)
    date_fin = models.DateField("fin", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "opération"
        ordering = ["nom", "id"]
        constraints = [
            periode_valide("operation"),
            models.UniqueConstraint(
                fields=["donneur_ordre", "nom"],
                name="operation_nom_unique_par_donneur_ordre",
                violation_error_message="Ce donneur d'ordre a déjà une opération de ce nom.",
            ),
        ]

    def __str__(self):
        return self.nom


class Marche(models.Model):
    """Un marché portant une clause d'insertion ; `numero` est sa référence dans le PLIE (c'est la
    colonne `marche` de l'import des heures). `plie` recopie celui du donneur d'ordre pour que la
    base garantisse l'unicité du numéro dans le PLIE."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="marches")
    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="marches", verbose_name="opération"
    )
    numero = models.CharField(
        "numéro",
        max_length=50,
        help_text="Référence du marché, unique dans le PLIE (ex. 2025-BAT-014).",
        validators=[texte_sur_une_ligne],
    )
    intitule = models.CharField("intitulé", max_length=300, validators=[texte_sur_une_ligne])
    modalite_clause = models.CharField(
        "modalité de la clause", max_length=30, choices=ModaliteClause.choices
    )
    heures_prevues = models.DecimalField(
        "heures d'insertion prévues", max_digits=9, decimal_places=2
    )
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", null=True, blank=True)
    attributaire = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="marches_attribues",
        verbose_name="entreprise attributaire",
    )
    sous_traitants = models.ManyToManyField(
        "entreprises.Entreprise",
        blank=True,
        related_name="marches_sous_traites",
        verbose_name="sous-traitants",
    )
    modalite_execution = models.CharField(
        "modalité d'exécution",
        max_length=30,
        choices=ModaliteExecution.choices,
        blank=True,
        help_text="Choisie librement par l'attributaire.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "marché"
        ordering = ["numero", "id"]
        constraints = [
            periode_valide("marche"),
            models.UniqueConstraint(
                fields=["plie", "numero"],
                name="marche_numero_unique_par_plie",
                violation_error_message="Un marché de ce PLIE porte déjà ce numéro.",
            ),
            models.CheckConstraint(
                condition=Q(heures_prevues__gte=0),
                name="marche_heures_prevues_positives",
                violation_error_message="Les heures prévues ne peuvent pas être négatives.",
            ),
        ]
        indexes = [models.Index(fields=["plie", "date_debut"])]

    def __str__(self):
        return f"{self.numero} — {self.intitule}"

    def save(self, *args, **kwargs):
        self.plie_id = self.operation.donneur_ordre.plie_id
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "plie"}
        super().save(*args, **kwargs)


class Lot(models.Model):
    marche = models.ForeignKey(
        Marche, on_delete=models.CASCADE, related_name="lots", verbose_name="marché"
    )
    numero = models.CharField("numéro", max_length=20, validators=[texte_sur_une_ligne])
    intitule = models.CharField("intitulé", max_length=300, validators=[texte_sur_une_ligne])
    heures_prevues = models.DecimalField(
        "heures d'insertion prévues", max_digits=9, decimal_places=2
    )

    class Meta:
        verbose_name = "lot"
        ordering = ["marche", "numero", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["marche", "numero"],
                name="lot_numero_unique_par_marche",
                violation_error_message="Ce marché a déjà un lot de ce numéro.",
            ),
            models.CheckConstraint(
                condition=Q(heures_prevues__gte=0), name="lot_heures_prevues_positives"
            ),
        ]

    def __str__(self):
        return f"Lot {self.numero} — {self.intitule}"
