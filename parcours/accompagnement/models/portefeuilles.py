"""Les portefeuilles des référents : le journal des changements de référent et les intérims
(délégations) avec leur journal (docs/accompagnement.md). Services :
`parcours/accompagnement/suivi/portefeuilles.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from parcours.core.validators import texte_sur_plusieurs_lignes


class ChangementReferent(models.Model):
    """Journal des changements de référent d'un parcours (un par dossier, même en masse)."""

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="changements_referent"
    )
    ancien = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ancien référent",
    )
    nouveau = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="nouveau référent",
    )
    ancienne_structure = models.ForeignKey(
        "core.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nouvelle_structure = models.ForeignKey(
        "core.Structure", on_delete=models.PROTECT, related_name="+"
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    at = models.DateTimeField("le", default=timezone.now)
    motif = models.TextField("motif", validators=[texte_sur_plusieurs_lignes])
    en_masse = models.BooleanField("changement de portefeuille", default=False)

    class Meta:
        verbose_name = "changement de référent"
        verbose_name_plural = "changements de référent"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(motif=""), name="changement_referent_motive"),
        ]
        indexes = [models.Index(fields=["parcours", "at"])]

    def __str__(self):
        return f"{self.ancien} → {self.nouveau}"


class DelegationQuerySet(models.QuerySet):
    def actives(self, jour=None):
        """Non levées et couvrant `jour` (aujourd'hui par défaut)."""
        jour = jour or timezone.localdate()
        return self.filter(levee_le__isnull=True, debut__lte=jour, fin__gte=jour)


class Delegation(models.Model):
    """Un intérim : le suppléant suit le portefeuille du titulaire pendant son absence.

    Tant qu'elle est active, le suppléant reçoit sur chaque dossier ouvert du titulaire les droits
    django-guardian `view_parcours` et `change_parcours` (la politique d'accès les honore) ;
    `parcours_couverts` garde la liste des dossiers couverts, pour retirer ces droits à la levée
    ou à l'échéance (`suivi.expirer_delegations`).
    """

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="delegations")
    titulaire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_donnees",
        verbose_name="référent absent",
    )
    suppleant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="delegations_recues",
        verbose_name="suppléant",
    )
    debut = models.DateField("du")
    fin = models.DateField("au")
    motif = models.TextField("motif", validators=[texte_sur_plusieurs_lignes])
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    at = models.DateTimeField("le", default=timezone.now)
    levee_le = models.DateTimeField("levée le", null=True, blank=True)
    levee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="levée par",
    )
    parcours_couverts = models.ManyToManyField(
        "accompagnement.Parcours", blank=True, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = "délégation (intérim)"
        verbose_name_plural = "délégations (intérims)"
        ordering = ["-debut", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__gte=F("debut")),
                name="delegation_fin_apres_debut",
                violation_error_message="La fin de l'intérim ne peut pas précéder son début.",
            ),
            models.CheckConstraint(
                condition=~Q(titulaire=F("suppleant")),
                name="delegation_suppleant_distinct",
                violation_error_message="Le suppléant doit être une autre personne.",
            ),
            models.CheckConstraint(condition=~Q(motif=""), name="delegation_motivee"),
        ]
        indexes = [
            models.Index(fields=["suppleant", "levee_le"]),
            models.Index(fields=["titulaire", "levee_le"]),
        ]

    def __str__(self):
        return (
            f"Intérim de {self.titulaire} par {self.suppleant} "
            f"du {self.debut:%d/%m/%Y} au {self.fin:%d/%m/%Y}"
        )

    def active_le(self, jour=None) -> bool:
        jour = jour or timezone.localdate()
        return self.levee_le is None and self.debut <= jour <= self.fin


class JournalDelegation(models.Model):
    """Journal des délégations : création, droits accordés ou retirés, levée, échéance."""

    class Evenement(models.TextChoices):
        CREEE = "creee", "Intérim créé"
        DROITS_ACCORDES = "droits_accordes", "Accès accordé"
        DROITS_RETIRES = "droits_retires", "Accès retiré"
        LEVEE = "levee", "Intérim levé"
        EXPIREE = "expiree", "Intérim arrivé à échéance"

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="journal")
    evenement = models.CharField("événement", max_length=20, choices=Evenement.choices)
    nombre_dossiers = models.PositiveIntegerField("dossiers concernés", default=0)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
        help_text="Vide pour une action automatique (échéance).",
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "journal de délégation"
        verbose_name_plural = "journal des délégations"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_evenement_display()} ({self.nombre_dossiers} dossiers)"
