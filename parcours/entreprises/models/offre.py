"""Les offres d'emploi recueillies auprès des entreprises : leur cycle de vie journalisé
(collectée, qualifiée, diffusée, pourvue, clôturée) et la trace de leur diffusion.

Invariants tenus par la base : une offre qualifiée a son type de contrat et son lieu ; au moins
un poste, des heures plausibles ; une diffusion nomme son destinataire (référent ou structure).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField

from parcours.core.fsm import JournaliseMixin, condition, transition
from parcours.core.models import JournalTransition
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
from parcours.emploi.enums import TypeContrat
from parcours.entreprises.enums import STATUTS_OFFRE_OUVERTE, CanalDiffusion, StatutOffre
from parcours.entreprises.models.entreprise import Entreprise


@condition("le type de contrat et le lieu de travail doivent être renseignés")
def offre_complete(offre):
    return bool(offre.type_contrat and offre.lieu)


class OffreEmploi(JournaliseMixin):
    """Une offre collectée auprès d'une entreprise : qualifiée par le ou la CRE, diffusée aux
    référents, puis pourvue ou clôturée. Chaque changement d'état est journalisé."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="offres")
    entreprise = models.ForeignKey(Entreprise, on_delete=models.PROTECT, related_name="offres")
    intitule = models.CharField(
        "intitulé du poste", max_length=200, validators=[texte_sur_une_ligne]
    )
    description = models.TextField(
        "description", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    type_contrat = models.CharField(
        "type de contrat", max_length=30, choices=TypeContrat.choices, blank=True
    )
    lieu = models.CharField(
        "lieu de travail", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    heures_hebdo = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0.5"), "Heures par semaine : au moins une demi-heure."),
            MaxValueValidator(48, "Heures par semaine : 48 au plus (durée maximale légale)."),
        ],
    )
    nb_postes = models.PositiveSmallIntegerField(
        "nombre de postes",
        default=1,
        validators=[MinValueValidator(1, "L'offre porte au moins un poste.")],
    )
    date_limite = models.DateField("date limite de candidature", null=True, blank=True)
    statut = FSMField(
        "statut",
        default=StatutOffre.COLLECTEE,
        choices=StatutOffre.choices,
        protected=True,
        max_length=20,
    )
    created_at = models.DateTimeField("collectée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="collectée par",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "offre d'emploi"
        verbose_name_plural = "offres d'emploi"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut__in=StatutOffre.values), name="offre_statut_connu"
            ),
            models.CheckConstraint(condition=Q(nb_postes__gte=1), name="offre_au_moins_un_poste"),
            models.CheckConstraint(
                condition=Q(heures_hebdo__isnull=True)
                | Q(heures_hebdo__gt=0, heures_hebdo__lte=48),
                name="offre_heures_hebdo_plausibles",
            ),
            models.CheckConstraint(
                condition=Q(type_contrat="") | Q(type_contrat__in=TypeContrat.values),
                name="offre_type_contrat_connu",
            ),
            # Une offre qualifiée (ou au-delà) a son type de contrat et son lieu.
            models.CheckConstraint(
                condition=Q(statut=StatutOffre.COLLECTEE)
                | Q(statut=StatutOffre.CLOTUREE)
                | (~Q(type_contrat="") & ~Q(lieu="")),
                name="offre_qualifiee_complete",
            ),
        ]
        indexes = [models.Index(fields=["plie", "statut"])]

    journal_fk = "offre"

    def __str__(self):
        return f"{self.intitule} — {self.entreprise}"

    @property
    def designation(self):
        return f"l'offre « {self.intitule} »"

    @transition(
        StatutOffre.COLLECTEE,
        StatutOffre.QUALIFIEE,
        libelle="Qualifier l'offre",
        permission="entreprises.gerer_offre",
        conditions=[offre_complete],
    )
    def qualifier(self, *, par, motif=""):
        pass

    @transition(
        StatutOffre.QUALIFIEE,
        StatutOffre.DIFFUSEE,
        libelle="Diffuser l'offre",
        permission="entreprises.gerer_offre",
    )
    def diffuser(self, *, par, motif=""):
        pass

    @transition(
        list(STATUTS_OFFRE_OUVERTE),
        StatutOffre.POURVUE,
        libelle="Offre pourvue",
        permission="entreprises.pourvoir_offre",
    )
    def pourvoir(self, *, par, motif=""):
        pass

    @transition(
        [StatutOffre.COLLECTEE, *STATUTS_OFFRE_OUVERTE],
        StatutOffre.CLOTUREE,
        libelle="Clôturer l'offre",
        permission="entreprises.gerer_offre",
        motif_obligatoire=True,
    )
    def cloturer(self, *, par, motif):
        pass


class TransitionOffre(JournalTransition):
    """Journal des changements d'état d'une offre : une ligne par transition."""

    offre = models.ForeignKey(OffreEmploi, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField("de", max_length=20, choices=StatutOffre.choices)
    target = models.CharField("vers", max_length=20, choices=StatutOffre.choices)

    class Meta(JournalTransition.Meta):
        verbose_name = "transition d'offre"
        verbose_name_plural = "transitions d'offre"
        indexes = [models.Index(fields=["offre", "at"])]

    @property
    def libelle(self) -> str:
        return getattr(OffreEmploi, self.transition).libelle


OffreEmploi.journal_model = TransitionOffre


class DiffusionOffre(models.Model):
    """La trace d'une diffusion : à quel référent ou à quelle structure, par qui, quand, comment."""

    offre = models.ForeignKey(OffreEmploi, on_delete=models.CASCADE, related_name="diffusions")
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offres_recues",
        verbose_name="référent destinataire",
    )
    structure = models.ForeignKey(
        "core.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offres_recues",
        verbose_name="structure destinataire",
    )
    canal = models.CharField("comment", max_length=20, choices=CanalDiffusion.choices)
    note = models.TextField("note", blank=True, validators=[texte_sur_plusieurs_lignes])
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "diffusion d'offre"
        verbose_name_plural = "diffusions d'offre"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["offre", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(referent__isnull=False) | Q(structure__isnull=False),
                name="diffusion_a_un_destinataire",
            ),
        ]

    def __str__(self):
        return f"Diffusion à {self.referent or self.structure} le {self.at:%d/%m/%Y}"
