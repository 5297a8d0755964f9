"""Les mises en relation : une personne accompagnée proposée sur une offre, jusqu'à l'embauche.
Chaque changement d'état est journalisé.

Invariants tenus par la base : une seule mise en relation par offre et par parcours ; une
candidature non retenue est motivée ; une embauche porte son contrat.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField

from parcours.core.fsm import JournaliseMixin, transition
from parcours.core.models import JournalTransition
from parcours.core.validators import texte_sur_plusieurs_lignes
from parcours.entreprises.enums import StatutMiseEnRelation
from parcours.entreprises.models.offre import OffreEmploi


class MiseEnRelation(JournaliseMixin):
    """Un participant proposé sur une offre : entretien, réponse de l'entreprise (motivée quand
    elle est négative), embauche. Chaque changement d'état est journalisé."""

    offre = models.ForeignKey(
        OffreEmploi, on_delete=models.PROTECT, related_name="mises_en_relation"
    )
    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.PROTECT, related_name="mises_en_relation"
    )
    statut = FSMField(
        "statut",
        default=StatutMiseEnRelation.PROPOSEE,
        choices=StatutMiseEnRelation.choices,
        protected=True,
        max_length=20,
    )
    date_entretien = models.DateTimeField("date de l'entretien", null=True, blank=True)
    motif_non_retenue = models.TextField(
        "motif (non retenue)", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    contrat = models.OneToOneField(
        "emploi.Contrat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mise_en_relation",
        verbose_name="contrat signé",
        help_text="Le contrat enregistré dans le dossier de la personne à l'embauche.",
    )
    note = models.TextField("note", blank=True, validators=[texte_sur_plusieurs_lignes])
    proposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="proposée par",
    )
    created_at = models.DateTimeField("proposée le", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offre", "parcours"],
                name="une_mise_en_relation_par_offre_et_parcours",
                violation_error_message="Cette personne est déjà proposée sur cette offre.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=StatutMiseEnRelation.values), name="mer_statut_connu"
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutMiseEnRelation.NON_RETENUE) | ~Q(motif_non_retenue=""),
                name="mer_non_retenue_motivee",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutMiseEnRelation.EMBAUCHE) | Q(contrat__isnull=False),
                name="mer_embauche_avec_contrat",
            ),
        ]
        indexes = [models.Index(fields=["statut", "updated_at"])]

    journal_fk = "mise_en_relation"

    def __str__(self):
        return f"Mise en relation {self.pk} — {self.offre.intitule}"

    @property
    def designation(self):
        return "cette mise en relation"

    @transition(
        StatutMiseEnRelation.PROPOSEE,
        StatutMiseEnRelation.ENTRETIEN,
        libelle="Entretien prévu",
        permission="entreprises.suivre_mise_en_relation",
    )
    def planifier_entretien(self, *, par, motif="", date_entretien=None):
        self.date_entretien = date_entretien

    @transition(
        [StatutMiseEnRelation.PROPOSEE, StatutMiseEnRelation.ENTRETIEN],
        StatutMiseEnRelation.RETENUE,
        libelle="Candidature retenue",
        permission="entreprises.suivre_mise_en_relation",
    )
    def retenir(self, *, par, motif=""):
        pass

    @transition(
        [StatutMiseEnRelation.PROPOSEE, StatutMiseEnRelation.ENTRETIEN],
        StatutMiseEnRelation.NON_RETENUE,
        libelle="Candidature non retenue",
        permission="entreprises.suivre_mise_en_relation",
        motif_obligatoire=True,
    )
    def ne_pas_retenir(self, *, par, motif):
        self.motif_non_retenue = motif

    @transition(
        StatutMiseEnRelation.RETENUE,
        StatutMiseEnRelation.EMBAUCHE,
        libelle="Embauche",
        permission="entreprises.suivre_mise_en_relation",
    )
    def embaucher(self, *, par, motif=""):
        pass


class TransitionMiseEnRelation(JournalTransition):
    """Journal des changements d'état d'une mise en relation."""

    mise_en_relation = models.ForeignKey(
        MiseEnRelation, on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField("de", max_length=20, choices=StatutMiseEnRelation.choices)
    target = models.CharField("vers", max_length=20, choices=StatutMiseEnRelation.choices)

    class Meta(JournalTransition.Meta):
        verbose_name = "transition de mise en relation"
        verbose_name_plural = "transitions de mise en relation"
        indexes = [models.Index(fields=["mise_en_relation", "at"])]

    @property
    def libelle(self) -> str:
        return getattr(MiseEnRelation, self.transition).libelle


MiseEnRelation.journal_model = TransitionMiseEnRelation
