"""Clauses sociales d'insertion (DOMAIN §6) : qui achète, quoi, combien d'heures, pour qui.

- `DonneurOrdre` → `Operation` → `Marche` → `Lot` : la commande publique portant une clause, avec
  ses heures d'insertion prévues ; l'entreprise attributaire et ses sous-traitants.
- `CandidatExterne` : une personne qui n'est pas participante du PLIE, réduite aux données
  qu'exigent l'éligibilité et les bilans par public (RSA, QPV, RQTH, DELD…).
- `Besoin` : un poste à pourvoir exprimé par l'attributaire, recueilli par le facilitateur.
- `Positionnement` : une candidature (un participant OU un candidat externe) sur un besoin, avec
  son cycle de vie (proposée → éligibilité vérifiée → positionnée → retenue → embauchée) ; chaque
  changement écrit une ligne de `TransitionPositionnement` (qui, quand, de, vers, pourquoi).
- `HeuresRealisees` : les heures d'un mois, par marché et par personne (une ligne par mois : un
  nouvel import remplace).

Invariants tenus par la base : une personne XOR un candidat externe (positionnement, heures) ;
numéro de marché unique dans le PLIE ; mois = premier jour du mois ; heures positives ; dates de
fin après le début ; une seule candidature en cours par besoin et par personne.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField

from parcours.clauses.enums import (
    STATUTS_POSITIONNEMENT_CLOS,
    ModaliteClause,
    ModaliteExecution,
    SourceHeures,
    StatutBesoin,
    StatutPositionnement,
    TypeDonneurOrdre,
)
from parcours.core.enums import Role
from parcours.core.fsm import JournaliseMixin, transition
from parcours.core.models import JournalTransition
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
from parcours.emploi.enums import TypeContrat
from parcours.participants.enums import NiveauQualification, Sexe
from parcours.participants.normalisation import normaliser


def _periode_valide(prefixe: str):
    return models.CheckConstraint(
        condition=Q(date_fin__isnull=True)
        | Q(date_debut__isnull=True)
        | Q(date_fin__gte=models.F("date_debut")),
        name=f"{prefixe}_fin_apres_debut",
        violation_error_message="La date de fin doit être postérieure ou égale à la date de début.",
    )


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
            _periode_valide("operation"),
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
    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="marches")
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
            _periode_valide("marche"),
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
    marche = models.ForeignKey(Marche, on_delete=models.CASCADE, related_name="lots")
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


class CandidatExterne(models.Model):
    """Une personne positionnée sur une clause sans être participante du PLIE (001:L4348).

    Données minimales : identité, commune, et les publics qui comptent pour l'éligibilité et les
    bilans d'équité (000:L570). Son numéro (`EXT-000123`) la désigne dans l'import des heures.
    """

    plie = models.ForeignKey(
        "core.PLIE", on_delete=models.PROTECT, related_name="candidats_externes"
    )
    nom = models.CharField("nom", max_length=150, validators=[texte_sur_une_ligne])
    prenom = models.CharField("prénom", max_length=150, validators=[texte_sur_une_ligne])
    date_naissance = models.DateField("date de naissance")
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    commune_insee = models.CharField(
        "commune (code INSEE)", max_length=5, blank=True, validators=[texte_sur_une_ligne]
    )
    commune_nom = models.CharField(
        "commune", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    rsa = models.BooleanField("allocataire du RSA", default=False)
    qpv = models.BooleanField("résident d'un quartier prioritaire (QPV)", default=False)
    rqth = models.BooleanField("RQTH", default=False)
    rqth_jusqu_au = models.DateField("RQTH valable jusqu'au", null=True, blank=True)
    deld = models.BooleanField(
        "demandeur d'emploi de longue durée (12 mois et plus)", default=False
    )
    salarie_iae = models.BooleanField(
        "salarié en insertion (parcours IAE en cours)",
        default=False,
        help_text="Embauché par une SIAE (ACI, EI, AI, ETTI) avec un parcours IAE en cours.",
    )
    niveau_qualification = models.PositiveSmallIntegerField(
        "niveau de qualification", choices=NiveauQualification.choices, null=True, blank=True
    )
    structure = models.ForeignKey(
        "core.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidats_externes",
        verbose_name="structure qui l'a proposé",
    )
    recherche = models.CharField(max_length=400, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistré par",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "candidat externe"
        verbose_name_plural = "candidats externes"
        ordering = ["nom", "prenom", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rqth=True) | Q(rqth_jusqu_au__isnull=True),
                name="candidat_externe_rqth_coherente",
                violation_error_message="Une date de validité RQTH suppose une RQTH.",
            ),
        ]

    def __str__(self):
        return f"{self.nom.upper()} {self.prenom}"

    def save(self, *args, **kwargs):
        self.recherche = normaliser(f"{self.nom} {self.prenom}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche"}
        super().save(*args, **kwargs)

    @property
    def numero(self) -> str:
        return f"EXT-{self.pk:06d}"

    def age_au(self, date: datetime.date) -> int:
        from parcours.referentiel.calendrier import mois_revolus

        return mois_revolus(self.date_naissance, date) // 12

    def moins_26(self, date: datetime.date | None = None) -> bool:
        """Moins de 26 ans à `date` (aujourd'hui par défaut) : dérivé de la date de naissance."""
        return self.age_au(date or timezone.localdate()) < 26


class BesoinQuerySet(models.QuerySet):
    def ouverts(self):
        return self.filter(statut=StatutBesoin.OUVERT)


class Besoin(models.Model):
    """Un poste que l'attributaire (ou un sous-traitant) veut pourvoir au titre de la clause."""

    marche = models.ForeignKey(Marche, on_delete=models.PROTECT, related_name="besoins")
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

    objects = BesoinQuerySet.as_manager()

    class Meta:
        verbose_name = "besoin"
        ordering = ["-created_at", "-id"]
        constraints = [
            _periode_valide("besoin"),
            models.CheckConstraint(
                condition=Q(nb_postes__gte=1),
                name="besoin_au_moins_un_poste",
                violation_error_message="Un besoin porte au moins un poste.",
            ),
        ]
        indexes = [models.Index(fields=["marche", "statut"])]

    def __str__(self):
        return f"{self.poste} — {self.marche.numero}"


def _personne_xor(prefixe: str):
    return models.CheckConstraint(
        condition=(Q(participant__isnull=False) & Q(candidat_externe__isnull=True))
        | (Q(participant__isnull=True) & Q(candidat_externe__isnull=False)),
        name=f"{prefixe}_participant_xor_externe",
        violation_error_message=(
            "Indiquez soit un participant du PLIE, soit un candidat externe (un seul des deux)."
        ),
    )


# Libellés des transitions, pour l'interface, l'historique et les messages d'erreur.
LIBELLES_TRANSITIONS = {
    "confirmer_eligibilite": "Confirmer l'éligibilité",
    "declarer_non_eligible": "Déclarer non éligible",
    "positionner": "Positionner auprès de l'entreprise",
    "retenir": "Candidature retenue par l'entreprise",
    "ecarter": "Candidature non retenue par l'entreprise",
    "embaucher": "Embauche",
}


def transition_positionnement(source, target, motif_obligatoire=False):
    """Une transition de candidature (le kit : parcours/core/fsm.py). Le facilitateur du PLIE mène
    la candidature d'un bout à l'autre ; il ne décide pas à la place de l'entreprise : il
    enregistre la décision qu'elle lui communique (002:L547). Son droit :
    `clauses.faciliter_positionnement` (parcours/acces/backend.py)."""

    def decorator(func):
        return transition(
            source,
            target,
            libelle=LIBELLES_TRANSITIONS[func.__name__],
            permission="clauses.faciliter_positionnement",
            motif_obligatoire=motif_obligatoire,
        )(func)

    return decorator


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
            _personne_xor("positionnement"),
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


class HeuresRealisees(models.Model):
    """Les heures d'insertion d'une personne sur un marché pour un mois (fiche de suivi).

    Une ligne par (marché, personne, mois) : un nouvel import du même mois la remplace.
    `siret` est celui de l'employeur qui déclare (attributaire, sous-traitant, SIAE, GEIQ,
    agence d'intérim) ; `entreprise` le relie au réseau du PLIE quand il y figure.
    """

    marche = models.ForeignKey(Marche, on_delete=models.PROTECT, related_name="heures")
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heures_clauses",
    )
    candidat_externe = models.ForeignKey(
        CandidatExterne,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heures",
    )
    mois = models.DateField("mois", help_text="Premier jour du mois.")
    heures = models.DecimalField("heures", max_digits=7, decimal_places=2)
    siret = models.CharField("SIRET du déclarant", max_length=14, validators=[texte_sur_une_ligne])
    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="heures_clauses",
        verbose_name="entreprise déclarante",
    )
    source = models.CharField("source", max_length=10, choices=SourceHeures.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistrées par",
    )
    created_at = models.DateTimeField("enregistrées le", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "heures réalisées"
        verbose_name_plural = "heures réalisées"
        ordering = ["marche", "mois", "id"]
        constraints = [
            _personne_xor("heures"),
            models.UniqueConstraint(
                fields=["marche", "participant", "mois"],
                condition=Q(participant__isnull=False),
                name="heures_participant_une_ligne_par_mois",
                violation_error_message="Des heures sont déjà saisies pour ce mois.",
            ),
            models.UniqueConstraint(
                fields=["marche", "candidat_externe", "mois"],
                condition=Q(candidat_externe__isnull=False),
                name="heures_externe_une_ligne_par_mois",
                violation_error_message="Des heures sont déjà saisies pour ce mois.",
            ),
            models.CheckConstraint(
                condition=Q(mois__day=1),
                name="heures_mois_premier_jour",
                violation_error_message="Le mois est enregistré au premier jour du mois.",
            ),
            models.CheckConstraint(
                condition=Q(heures__gte=0),
                name="heures_positives",
                violation_error_message="Les heures ne peuvent pas être négatives.",
            ),
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="heures_siret_14_chiffres"
            ),
        ]
        indexes = [
            models.Index(fields=["marche", "mois"]),
            models.Index(fields=["participant"]),
            models.Index(fields=["candidat_externe"]),
        ]

    def __str__(self):
        return f"{self.marche.numero} — {self.mois:%m/%Y} — {self.heures} h"

    @property
    def personne(self):
        return self.participant if self.participant_id else self.candidat_externe


class JournalHeures(models.Model):
    """Chaque valeur d'heures fournie qui crée ou change une ligne `HeuresRealisees` : qui,
    quand, avant / après, par quelle voie (saisie, import et son fichier). Écrit dans la même
    transaction que la ligne ; un réimport identique n'écrit rien."""

    ligne = models.ForeignKey(
        HeuresRealisees, on_delete=models.PROTECT, related_name="journal", verbose_name="heures"
    )
    ancien = models.DecimalField(
        "heures avant", max_digits=7, decimal_places=2, null=True, blank=True
    )
    nouveau = models.DecimalField("heures après", max_digits=7, decimal_places=2)
    ancien_siret = models.CharField(
        "SIRET avant", max_length=14, blank=True, validators=[texte_sur_une_ligne]
    )
    nouveau_siret = models.CharField("SIRET après", max_length=14, validators=[texte_sur_une_ligne])
    source = models.CharField("source", max_length=10, choices=SourceHeures.choices)
    fichier = models.CharField(
        "fichier importé", max_length=255, blank=True, validators=[texte_sur_une_ligne]
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistrées par",
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "modification d'heures"
        verbose_name_plural = "journal des heures"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ligne", "at"])]

    def __str__(self):
        return f"{self.ancien if self.ancien is not None else '—'} → {self.nouveau} h"
