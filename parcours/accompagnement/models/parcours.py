"""Le parcours : la machine à états de la prescription à la sortie (ses transitions, leurs
conditions, leur journal `TransitionParcours`) et ses droits explicites (django-guardian). Sa
prescription est dans `prescription.py`."""

from functools import partial

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from parcours.accompagnement.enums import (
    ACTIONS_TRANSITIONS,
    ETATS_EN_CLAIR,
    STATUTS_CLOS,
    Statut,
    TypeSortie,
)
from parcours.core.errors import DonneesTransitionInvalides
from parcours.core.fsm import JournaliseMixin, condition, transition
from parcours.core.models import JournalTransition
from parcours.core.perimetre import structure_de_referent

# Libellés des transitions, pour l'interface, l'historique et les messages d'erreur.
LIBELLES_TRANSITIONS = {
    "demander_complements": "Demander des compléments",
    "completer": "Compléter la prescription",
    "declarer_recevable": "Déclarer recevable",
    "declarer_irrecevable": "Déclarer irrecevable",
    "annuler": "Annuler la prescription",
    "inscrire_en_commission": "Inscrire en commission d'entrée",
    "admettre": "Admettre",
    "ajourner": "Ajourner",
    "refuser": "Refuser",
    "engager": "Engager l'accompagnement",
    "suspendre": "Suspendre (veille)",
    "reprendre": "Reprendre l'accompagnement",
    "entrer_en_emploi": "Entrer en emploi",
    "rompre_emploi": "Rupture de l'emploi",
    "proposer_sortie": "Proposer la sortie",
    "refuser_sortie": "Refuser la sortie",
    "valider_sortie": "Valider la sortie",
}
# Lignes de journal écrites hors des transitions : l'histoire reprise d'un autre outil, à ses dates
# d'origine (parcours.reprise, docs/reprise.md).
LIBELLES_JOURNAL = {"repris": "Repris d'un autre outil"}


@condition("le parcours n'a pas de référent désigné")
def a_un_referent(parcours):
    return parcours.referent_id is not None


@condition("le parcours n'est rattaché à aucun territoire du PLIE")
def a_un_territoire(parcours):
    return parcours.territoire_id is not None


@condition(
    "la personne n'est pas éligible selon le référentiel du PLIE et aucune dérogation n'a été "
    "accordée"
)
def eligible_ou_derogation(parcours):
    prescription = getattr(parcours, "prescription", None)
    if prescription is None:
        return False
    return bool(prescription.eligible) or prescription.derogation_par_id is not None


def _engagement_incomplet(parcours) -> str:
    from parcours.accompagnement.engagement import etat_engagement

    manquants = etat_engagement(parcours).manquants()
    return "l'engagement n'est pas complet (" + " ; ".join(manquants) + ")"


@condition(_engagement_incomplet)
def engagement_complet(parcours):
    """Contrat signé, questionnaire FSE+ complet, pièces obligatoires déposées (engagement/)."""
    from parcours.accompagnement.engagement import etat_engagement

    return etat_engagement(parcours).complet


# Une transition du parcours (le kit : parcours/core/fsm.py). Son droit est la permission objet
# `accompagnement.<nom de la transition>` : qui la détient est écrit dans la politique d'accès
# (`parcours/acces/backend.py : ROLES_DES_TRANSITIONS`).
transition_du_parcours = partial(
    transition,
    libelle=LIBELLES_TRANSITIONS,
    action=ACTIONS_TRANSITIONS,
    permission="accompagnement.{nom}",
)


class ParcoursQuerySet(models.QuerySet):
    def ouverts(self):
        return self.exclude(statut__in=STATUTS_CLOS)


class Parcours(JournaliseMixin):
    """Le chemin d'une personne dans un PLIE, de la prescription à la sortie.

    `statut` ne change que par les transitions ci-dessous ; chacune écrit une ligne de
    `TransitionParcours` (qui, quand, de, vers, motif) à l'enregistrement.
    """

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="parcours"
    )
    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="parcours")
    territoire = models.ForeignKey(
        "core.Territoire", on_delete=models.PROTECT, null=True, blank=True, related_name="parcours"
    )
    statut = FSMField(
        "statut", default=Statut.PRESCRIT, choices=Statut.choices, protected=True, max_length=30
    )
    structure_prescriptrice = models.ForeignKey(
        "core.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcours_prescrits",
        verbose_name="structure prescriptrice",
    )
    prescripteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcours_prescrits",
        verbose_name="prescripteur",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcours_suivis",
        verbose_name="référent",
    )
    structure_referente = models.ForeignKey(
        "core.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcours_suivis",
        verbose_name="structure du référent",
    )
    precedent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suivants",
        verbose_name="parcours précédent",
    )
    date_prescription = models.DateField("date de prescription", default=timezone.localdate)
    date_entree = models.DateField("date d'entrée", null=True, blank=True)
    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    type_sortie = models.CharField(
        "type de sortie", max_length=30, choices=TypeSortie.choices, blank=True
    )
    # Le dernier parcours de la personne dans ce PLIE (date de prescription, puis clé) : tenu par
    # PostgreSQL (migration 0015), jamais écrit par l'application — une valeur envoyée par un
    # `save()` est ignorée. Sert la liste des participants quand on voit tout le PLIE.
    dernier_du_plie = models.BooleanField(
        "dernier parcours de la personne", default=False, editable=False
    )
    # Le nom et le prénom de la personne, recopiés par PostgreSQL (migration 0017) à la création
    # et à chaque renommage, jamais écrits par l'application : la liste d'un PLIE se lit triée
    # par nom dans un index. Une instance créée par l'ORM les garde vides en mémoire.
    nom_de_tri = models.CharField("nom de la personne", max_length=150, default="", editable=False)
    prenom_de_tri = models.CharField(
        "prénom de la personne", max_length=150, default="", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParcoursQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["-date_prescription", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "plie"],
                condition=~Q(statut__in=[s.value for s in STATUTS_CLOS]),
                name="un_parcours_ouvert_par_personne_et_plie",
            ),
            models.UniqueConstraint(
                fields=["participant", "plie"],
                condition=Q(dernier_du_plie=True),
                name="un_dernier_parcours_par_personne_et_plie",
            ),
            models.CheckConstraint(
                condition=Q(date_sortie__isnull=True)
                | Q(date_entree__isnull=True)
                | Q(date_sortie__gte=models.F("date_entree")),
                name="parcours_sortie_apres_entree",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=[s.value for s in Statut]), name="parcours_statut_connu"
            ),
        ]
        indexes = [
            models.Index(fields=["plie", "statut"]),
            models.Index(fields=["referent", "statut"]),
            models.Index(fields=["structure_prescriptrice", "statut"]),
            # La vérification incrémentale des alertes lit ce qui a changé depuis sa passe.
            models.Index(fields=["updated_at"], name="parcours_modifie_le"),
            # Les parcours ouverts d'un PLIE par référent : files actives, vue du PLIE, tâches
            # périodiques (docs/PERFORMANCE.md) ; les clos, la majorité avec le temps, n'y sont pas.
            models.Index(
                fields=["plie", "referent"],
                condition=~Q(statut__in=[s.value for s in STATUTS_CLOS]),
                name="parcours_ouverts_plie_ref",
            ),
            # La liste des participants d'un PLIE entier : une ligne par personne, par état,
            # dans l'ordre du nom (la page se lit dans l'index, sans trier tout le PLIE).
            models.Index(
                fields=["plie", "statut", "nom_de_tri", "prenom_de_tri", "participant"],
                condition=Q(dernier_du_plie=True),
                name="parcours_derniers_etat_nom",
            ),
            models.Index(
                fields=["plie", "nom_de_tri", "prenom_de_tri", "participant"],
                condition=Q(dernier_du_plie=True),
                name="parcours_derniers_nom",
            ),
        ]

    journal_fk = "parcours"  # journal_model : TransitionParcours, plus bas
    designation = "ce dossier"
    etats_en_clair = ETATS_EN_CLAIR

    def __str__(self):
        return f"Parcours {self.pk} — {self.participant} ({self.get_statut_display()})"

    @property
    def questionnaire_fse(self):
        """Le questionnaire FSE+ en vigueur : celui de la dernière participation ouverte (le plus
        récent ; un par participation, docs/fse.md). Lit `questionnaires_fse` préchargé s'il
        l'est (prefetch_related), sinon une requête."""
        questionnaires = list(self.questionnaires_fse.all()) if self.pk else []
        return max(questionnaires, key=lambda q: q.pk, default=None)

    # — Prescription et recevabilité —

    @transition_du_parcours(Statut.PRESCRIT, Statut.INCOMPLET, motif_obligatoire=True)
    def demander_complements(self, *, par, motif):
        pass

    @transition_du_parcours(Statut.INCOMPLET, Statut.PRESCRIT)
    def completer(self, *, par, motif=""):
        pass

    @transition_du_parcours(
        Statut.PRESCRIT, Statut.RECEVABLE, conditions=[a_un_territoire, eligible_ou_derogation]
    )
    def declarer_recevable(self, *, par, motif=""):
        pass

    @transition_du_parcours(
        [Statut.PRESCRIT, Statut.INCOMPLET], Statut.IRRECEVABLE, motif_obligatoire=True
    )
    def declarer_irrecevable(self, *, par, motif):
        pass

    @transition_du_parcours(
        [Statut.PRESCRIT, Statut.INCOMPLET, Statut.RECEVABLE], Statut.ANNULE, motif_obligatoire=True
    )
    def annuler(self, *, par, motif):
        pass

    # — Commission d'entrée —

    @transition_du_parcours(
        [Statut.RECEVABLE, Statut.AJOURNE],
        Statut.EN_COMMISSION_ENTREE,
        conditions=[a_un_territoire],
    )
    def inscrire_en_commission(self, *, par, motif=""):
        pass

    @transition_du_parcours(Statut.EN_COMMISSION_ENTREE, Statut.ADMIS)
    def admettre(self, *, par, motif="", referent, structure_referente=None):
        structure = structure_referente or structure_de_referent(referent, self.plie_id)
        if structure is None:
            raise DonneesTransitionInvalides(
                f"{referent} n'est pas référent de parcours en activité dans ce PLIE."
            )
        self.referent = referent
        self.structure_referente = structure

    @transition_du_parcours(Statut.EN_COMMISSION_ENTREE, Statut.AJOURNE, motif_obligatoire=True)
    def ajourner(self, *, par, motif):
        pass

    @transition_du_parcours(Statut.EN_COMMISSION_ENTREE, Statut.REFUSE, motif_obligatoire=True)
    def refuser(self, *, par, motif):
        pass

    # — Accompagnement —

    @transition_du_parcours(
        Statut.ADMIS, Statut.EN_ACCOMPAGNEMENT, conditions=[a_un_referent, engagement_complet]
    )
    def engager(self, *, par, motif="", date_entree=None):
        self.date_entree = date_entree or timezone.localdate()

    @transition_du_parcours(Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, motif_obligatoire=True)
    def suspendre(self, *, par, motif):
        pass

    @transition_du_parcours(Statut.SUSPENDU, Statut.EN_ACCOMPAGNEMENT)
    def reprendre(self, *, par, motif=""):
        pass

    @transition_du_parcours([Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU], Statut.EN_EMPLOI)
    def entrer_en_emploi(self, *, par, motif=""):
        pass

    @transition_du_parcours(Statut.EN_EMPLOI, Statut.EN_ACCOMPAGNEMENT, motif_obligatoire=True)
    def rompre_emploi(self, *, par, motif):
        pass

    # — Sortie —

    @transition_du_parcours(
        [Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU, Statut.EN_EMPLOI], Statut.SORTIE_PROPOSEE
    )
    def proposer_sortie(self, *, par, motif="", type_sortie, date_sortie=None):
        if type_sortie not in TypeSortie.values:
            raise DonneesTransitionInvalides(f"Type de sortie inconnu : « {type_sortie} ».")
        date_sortie = date_sortie or timezone.localdate()
        if self.date_entree and date_sortie < self.date_entree:
            raise DonneesTransitionInvalides(
                "La date de sortie ne peut pas précéder la date d'entrée "
                f"({self.date_entree:%d/%m/%Y})."
            )
        self.type_sortie = type_sortie
        self.date_sortie = date_sortie

    @transition_du_parcours(
        Statut.SORTIE_PROPOSEE, Statut.EN_ACCOMPAGNEMENT, motif_obligatoire=True
    )
    def refuser_sortie(self, *, par, motif):
        self.type_sortie = ""
        self.date_sortie = None

    @transition_du_parcours(Statut.SORTIE_PROPOSEE, Statut.SORTI)
    def valider_sortie(self, *, par, motif=""):
        pass


class TransitionParcours(JournalTransition):
    """Journal des changements d'état : une ligne par transition, jamais modifiée."""

    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField("de", max_length=30, choices=Statut.choices)
    target = models.CharField("vers", max_length=30, choices=Statut.choices)

    class Meta(JournalTransition.Meta):
        verbose_name = "transition de parcours"
        verbose_name_plural = "transitions de parcours"
        indexes = [models.Index(fields=["parcours", "at"])]

    @property
    def libelle(self) -> str:
        return LIBELLES_TRANSITIONS.get(self.transition) or LIBELLES_JOURNAL.get(
            self.transition, self.transition
        )


# Le journal de `JournaliseMixin.save()` (préparé par la transition : parcours/core/fsm.py).
Parcours.journal_model = TransitionParcours


class ParcoursUserObjectPermission(UserObjectPermissionBase):
    """Droits explicites (intérim, partage de dossier) : table à clé étrangère directe."""

    content_object = models.ForeignKey(Parcours, on_delete=models.CASCADE)


class ParcoursGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Parcours, on_delete=models.CASCADE)
