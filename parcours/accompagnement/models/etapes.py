"""Les étapes du parcours (typées par le catalogue du PLIE, section `etapes` du référentiel), leur
journal et leurs preuves (docs/accompagnement.md). Services :
`parcours/accompagnement/suivi/etapes.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_ETAPE_A_JUSTIFIER, StatutEtape
from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.fichiers import aide
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne


# Référencé par la migration 0005 : les noms sont désormais aléatoires (ChampDocument).
def chemin_preuve(instance, filename):
    return nom_aleatoire(TypeDocument.PREUVE_ETAPE, filename)


class Etape(models.Model):
    """Une étape du parcours, d'un type du catalogue du PLIE (section `etapes` du référentiel).

    Le type est recopié (code, libellé, catégorie, et si l'étape compte / est une étape emploi ou
    formation) : l'étape garde son sens si le catalogue change. `version` s'incrémente à chaque
    modification : deux saisies concurrentes ne s'écrasent pas (la seconde est refusée).
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="etapes"
    )
    type_code = models.CharField("type d'étape", max_length=50, validators=[texte_sur_une_ligne])
    type_libelle = models.CharField(
        "libellé du type", max_length=200, validators=[texte_sur_une_ligne]
    )
    categorie = models.CharField("catégorie", max_length=100, validators=[texte_sur_une_ligne])
    compte = models.BooleanField(
        "comptée comme étape de parcours",
        default=True,
        help_text="Les étapes d'accueil / accompagnement ne sont pas comptées (selon le PLIE).",
    )
    emploi_ou_formation = models.BooleanField(
        "étape emploi ou formation",
        default=False,
        help_text="Pendant une telle étape, l'entretien physique mensuel n'est pas exigé.",
    )
    intitule = models.CharField(
        "intitulé", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    prestataire = models.CharField(
        "prestataire", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    operation = models.ForeignKey(
        "fse.OperationFse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="etapes",
        verbose_name="action financée (opération FSE+)",
        help_text="L'opération FSE+ qui finance l'étape : son porteur en liste les participants.",
    )
    date_debut = models.DateField("date de début")
    date_fin = models.DateField("date de fin", null=True, blank=True)
    statut = models.CharField(
        "statut", max_length=20, choices=StatutEtape.choices, default=StatutEtape.PREVUE
    )
    commentaire = models.TextField(
        "commentaire", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifiée par",
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        verbose_name = "étape de parcours"
        verbose_name_plural = "étapes de parcours"
        ordering = ["-date_debut", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
                name="etape_fin_apres_debut",
                violation_error_message="La date de fin ne peut pas précéder la date de début.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=[s.value for s in StatutEtape]), name="etape_statut_connu"
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutEtape.REALISEE) | Q(date_fin__isnull=False),
                name="etape_realisee_datee",
                violation_error_message="Une étape réalisée a une date de fin.",
            ),
        ]
        indexes = [
            models.Index(fields=["parcours", "statut"]),
            models.Index(fields=["parcours", "date_debut"]),
            models.Index(fields=["updated_at"], name="etape_modifiee_le"),
        ]

    def __str__(self):
        return f"{self.type_libelle} ({self.get_statut_display().lower()})"

    @property
    def titre(self) -> str:
        return self.intitule or self.type_libelle

    @property
    def a_justifier(self) -> bool:
        return self.statut in STATUTS_ETAPE_A_JUSTIFIER

    def en_cours_le(self, jour) -> bool:
        """L'étape couvre ce jour (débutée, pas terminée), hors étape prévue ou abandonnée."""
        if self.statut not in STATUTS_ETAPE_A_JUSTIFIER:
            return False
        return self.date_debut <= jour and (self.date_fin is None or jour <= self.date_fin)


class JournalEtape(models.Model):
    """Journal d'une étape : sa création et chaque modification (qui, quand, statut avant et
    après, valeurs changées)."""

    etape = models.ForeignKey(Etape, on_delete=models.CASCADE, related_name="journal")
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    le = models.DateTimeField("le", default=timezone.now)
    statut_avant = models.CharField(
        "statut avant", max_length=20, choices=StatutEtape.choices, blank=True
    )
    statut_apres = models.CharField("statut après", max_length=20, choices=StatutEtape.choices)
    changements = models.JSONField(
        "valeurs changées", default=dict, blank=True, help_text="champ → [avant, après]"
    )

    class Meta:
        verbose_name = "journal d'étape"
        verbose_name_plural = "journal des étapes"
        ordering = ["le", "id"]

    def __str__(self):
        return f"{self.etape} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"


class PreuveEtape(models.Model):
    """Un justificatif déposé pour une étape, d'un type de preuve listé par le catalogue."""

    etape = models.ForeignKey(Etape, on_delete=models.CASCADE, related_name="preuves")
    type_preuve = models.CharField(
        "type de preuve", max_length=50, validators=[texte_sur_une_ligne]
    )
    libelle = models.CharField("libellé", max_length=200, validators=[texte_sur_une_ligne])
    fichier = ChampDocument(
        "fichier", type_document=TypeDocument.PREUVE_ETAPE, max_length=300, help_text=aide()
    )
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="déposée par",
    )
    deposee_le = models.DateTimeField("déposée le", default=timezone.now)

    class Meta:
        verbose_name = "preuve d'étape"
        verbose_name_plural = "preuves d'étape"
        ordering = ["etape", "deposee_le", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(fichier=""), name="preuve_etape_avec_fichier"),
        ]

    def __str__(self):
        return f"{self.libelle} ({self.etape})"
