"""Les besoins et les candidatures :

- `Besoin` : un poste à pourvoir exprimé par l'attributaire, recueilli par le facilitateur ;
- `Positionnement` : une candidature (un participant OU un candidat externe) sur un besoin, avec
  son cycle de vie (proposée → éligibilité vérifiée → positionnée → retenue → embauchée) ; chaque
  changement écrit une ligne de `TransitionPositionnement` (qui, quand, de, vers, pourquoi).
"""

from functools import partial

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField

from parcours.clauses.enums import (
    STATUTS_POSITIONNEMENT_CLOS,
    StatutBesoin,
    StatutPositionnement,
)
from parcours.clauses.models.candidats import CandidatExterne
from parcours.clauses.models.contraintes import participant_xor_externe, periode_valide
from parcours.clauses.models.marches import Lot, Marche
from parcours.core.enums import Role
from parcours.core.fsm import JournaliseMixin, transition
from parcours.core.models import JournalTransition
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
from parcours.emploi.enums import TypeContrat


class BesoinQuerySet(models.QuerySet):
    def ouverts(self):
        return self.filter(statut=StatutBesoin.OUVERT)


class Besoin(models.Model):
    """Un poste que l'attributaire (ou un sous-traitant) veut pourvoir au titre de la clause."""

    marche = models.ForeignKey(
        Marche, on_delete=models.PROTECT, related_name="besoins", verbose_name="marché"
    )
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="besoins"
    )
    poste = models.CharField("poste", max_length=200, validators=[texte_sur_une_ligne])
    description = models.TextField(
        "description du poste", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    nb_postes = models.PositiveSmallIntegerField("nombre de postes", default=1)
    type_contrat = models.CharField("type de contrat", max_length=30, choices=TypeContrat.choices)
    date_debut = models.DateField("début souhaité")
    date_fin = models.DateField("fin prévue", null=True, blank=True)
    facilitateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="besoins_clauses",
        verbose_name="facilitateur",
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutBesoin.choices, default=StatutBesoin.OUVERT
    )
    diffuse_le = models.DateTimeField("diffusé le", null=True, blank=True)
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)
    # La synchronisation par l'API (`updated_since`, docs/api.md) lit ce qui a changé.
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    objects = BesoinQuerySet.as_manager()

    class Meta:
        verbose_name = "besoin"
        ordering = ["-created_at", "-id"]
        constraints = [
            periode_valide("besoin"),
            models.CheckConstraint(
                condition=Q(nb_postes__gte=1),
                name="besoin_au_moins_un_poste",
                violation_error_message="Un besoin porte au moins un poste.",
            ),
        ]
        indexes = [models.Index(fields=["marche", "statut"])]

    def __str__(self):
        return f"{self.poste} — {self.marche.numero}"


# Libellés des transitions, pour l'interface, l'historique et les messages d'erreur.
LIBELLES_TRANSITIONS = {
    "confirmer_eligibilite": "Confirmer l'éligibilité",
    "declarer_non_eligible": "Déclarer non éligible",
    "positionner": "Positionner auprès de l'entreprise",
    "retenir": "Candidature retenue par l'entreprise",
    "ecarter": "Candidature non retenue par l'entreprise",
    "embaucher": "Embauche",
}


# Une transition de candidature (le kit : parcours/core/fsm.py). Le facilitateur du PLIE mène la
# candidature d'un bout à l'autre ; il ne décide pas à la place de l'entreprise : il enregistre la
# décision qu'elle lui communique (002:L547). Son droit : `clauses.faciliter_positionnement`
# (parcours/acces/backend.py).
transition_positionnement = partial(
    transition, libelle=LIBELLES_TRANSITIONS, permission="clauses.faciliter_positionnement"
)


class PositionnementQuerySet(models.QuerySet):
    def en_cours(self):
        return self.exclude(statut__in=STATUTS_POSITIONNEMENT_CLOS)


class Positionnement(JournaliseMixin):
    """Une candidature sur un besoin : un participant du PLIE OU un candidat externe.

    `statut` ne change que par les transitions ci-dessous (facilitateur du PLIE) ; chacune écrit
    une ligne de `TransitionPositionnement`. `eligibilite` garde l'évaluation expliquée de la
    section `clauses` du référentiel au moment de la vérification.
    """

    besoin = models.ForeignKey(Besoin, on_delete=models.PROTECT, related_name="positionnements")
    # Le PLIE du marché du besoin, recopié à la création (un besoin ne change pas de marché) : la
    # politique d'accès teste la candidature sans joindre besoin → marché (docs/PERFORMANCE.md).
    plie = models.ForeignKey(
        "core.PLIE", on_delete=models.PROTECT, related_name="+", editable=False
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positionnements_clauses",
    )
    candidat_externe = models.ForeignKey(
        CandidatExterne,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positionnements",
    )
    statut = FSMField(
        "statut",
        default=StatutPositionnement.PROPOSEE,
        choices=StatutPositionnement.choices,
        protected=True,
        max_length=30,
    )
    propose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="proposée par",
    )
    role_proposant = models.CharField(
        "au titre de",
        max_length=20,
        choices=[(r.value, r.label) for r in (Role.REFERENT, Role.PRESCRIPTEUR, Role.FACILITATEUR)],
    )
    structure_proposante = models.ForeignKey(
        "core.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure qui propose",
    )
    commentaire = models.TextField(
        "commentaire du proposant", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    eligibilite = models.JSONField("évaluation de l'éligibilité", null=True, blank=True)
    eligibilite_evaluee_le = models.DateTimeField(null=True, blank=True)
    motif_non_retenue = models.TextField(
        "motif (non retenue)", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    # L'embauche, telle que le facilitateur l'enregistre ; le référent du participant l'inscrit
    # ensuite dans le parcours (contrat et étape), le facilitateur n'y ayant pas accès.
    date_embauche = models.DateField("date d'embauche", null=True, blank=True)
    date_fin_contrat = models.DateField("fin du contrat", null=True, blank=True)
    type_contrat = models.CharField(
        "type de contrat", max_length=30, choices=TypeContrat.choices, blank=True
    )
    employeur = models.CharField(
        "employeur",
        max_length=200,
        blank=True,
        help_text="L'attributaire, ou la SIAE, le GEIQ, l'agence d'intérim qui embauche.",
        validators=[texte_sur_une_ligne],
    )
    heures_hebdo = models.DecimalField(
        "heures par semaine", max_digits=4, decimal_places=2, null=True, blank=True
    )
    inscrite_au_parcours_le = models.DateTimeField(
        "embauche inscrite au parcours le", null=True, blank=True
    )
    # Le contrat créé dans le parcours à l'inscription de l'embauche : sa période d'essai dit
    # si l'embauche est confirmée (tableau de bord). Vide pour un candidat externe.
    contrat = models.ForeignKey(
        "emploi.Contrat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positionnements",
        verbose_name="contrat inscrit au parcours",
    )
    inscrite_au_parcours_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="embauche inscrite au parcours par",
    )
    created_at = models.DateTimeField("proposée le", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PositionnementQuerySet.as_manager()

    class Meta:
        verbose_name = "positionnement"
        ordering = ["created_at", "id"]
        constraints = [
            participant_xor_externe("positionnement"),
            models.UniqueConstraint(
                fields=["besoin", "participant"],
                condition=Q(participant__isnull=False)
                & ~Q(statut__in=[s.value for s in STATUTS_POSITIONNEMENT_CLOS]),
                name="positionnement_participant_en_cours_unique",
                violation_error_message="Cette personne est déjà candidate sur ce besoin.",
            ),
            models.UniqueConstraint(
                fields=["besoin", "candidat_externe"],
                condition=Q(candidat_externe__isnull=False)
                & ~Q(statut__in=[s.value for s in STATUTS_POSITIONNEMENT_CLOS]),
                name="positionnement_externe_en_cours_unique",
                violation_error_message="Cette personne est déjà candidate sur ce besoin.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=[s.value for s in StatutPositionnement]),
                name="positionnement_statut_connu",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutPositionnement.NON_RETENUE) | ~Q(motif_non_retenue=""),
                name="positionnement_non_retenue_motivee",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutPositionnement.EMBAUCHEE)
                | (Q(date_embauche__isnull=False) & ~Q(type_contrat="") & ~Q(employeur="")),
                name="positionnement_embauche_renseignee",
            ),
            models.CheckConstraint(
                condition=Q(date_fin_contrat__isnull=True)
                | Q(date_fin_contrat__gte=models.F("date_embauche")),
                name="positionnement_fin_contrat_apres_embauche",
            ),
        ]
        indexes = [
            models.Index(fields=["besoin", "statut"]),
            models.Index(fields=["participant", "statut"]),
        ]

    journal_fk = "positionnement"  # journal_model : TransitionPositionnement, plus bas
    designation = "cette candidature"
    message_conflit = (
        "Cette candidature vient d'être modifiée par une autre personne : rechargez "
        "la page pour voir son état actuel avant d'agir."
    )

    def __str__(self):
        return f"{self.personne} — {self.besoin.poste}"

    def save(self, *args, **kwargs):
        if self.plie_id is None:  # les services le donnent ; sinon, lu du besoin
            self.plie_id = self.besoin.marche.plie_id
        super().save(*args, **kwargs)

    @property
    def personne(self):
        return self.participant if self.participant_id else self.candidat_externe

    @property
    def numero_personne(self) -> str:
        return self.personne.numero

    @property
    def eligible(self) -> bool | None:
        return None if self.eligibilite is None else self.eligibilite["eligible"]

    # — Les transitions (services.py les enchaîne avec leurs effets) —

    @transition_positionnement(
        StatutPositionnement.PROPOSEE, StatutPositionnement.ELIGIBILITE_VERIFIEE
    )
    def confirmer_eligibilite(self, *, par, motif=""):
        pass

    @transition_positionnement(
        StatutPositionnement.PROPOSEE, StatutPositionnement.NON_ELIGIBLE, motif_obligatoire=True
    )
    def declarer_non_eligible(self, *, par, motif):
        pass

    @transition_positionnement(
        StatutPositionnement.ELIGIBILITE_VERIFIEE, StatutPositionnement.POSITIONNEE
    )
    def positionner(self, *, par, motif=""):
        pass

    @transition_positionnement(StatutPositionnement.POSITIONNEE, StatutPositionnement.RETENUE)
    def retenir(self, *, par, motif=""):
        pass

    @transition_positionnement(
        StatutPositionnement.POSITIONNEE, StatutPositionnement.NON_RETENUE, motif_obligatoire=True
    )
    def ecarter(self, *, par, motif):
        self.motif_non_retenue = motif

    @transition_positionnement(StatutPositionnement.RETENUE, StatutPositionnement.EMBAUCHEE)
    def embaucher(
        self, *, par, motif="", date_embauche, type_contrat, employeur, date_fin, heures_hebdo
    ):
        self.date_embauche = date_embauche
        self.type_contrat = type_contrat
        self.employeur = employeur
        self.date_fin_contrat = date_fin
        self.heures_hebdo = heures_hebdo


class TransitionPositionnement(JournalTransition):
    """Journal des états d'une candidature : une ligne par transition, jamais modifiée."""

    positionnement = models.ForeignKey(
        Positionnement, on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField("de", max_length=30, choices=StatutPositionnement.choices)
    target = models.CharField("vers", max_length=30, choices=StatutPositionnement.choices)

    class Meta(JournalTransition.Meta):
        verbose_name = "transition de candidature"
        verbose_name_plural = "transitions de candidature"
        indexes = [models.Index(fields=["positionnement", "at"])]

    @property
    def libelle(self) -> str:
        return LIBELLES_TRANSITIONS.get(self.transition, self.transition)


Positionnement.journal_model = TransitionPositionnement
