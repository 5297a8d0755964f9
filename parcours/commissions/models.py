"""Les commissions : sessions planifiées, leur ordre du jour, leurs décisions, leur procès-verbal.

Invariants tenus par la base :
- une seule décision par dossier et par session (unicité) ;
- une décision ne porte que sur un dossier inscrit à l'ordre du jour de sa session (clé étrangère
  composée `(session, parcours)` → `InscriptionSession`, posée par la migration 0001) : un dossier
  décidé ne peut pas non plus être retiré de l'ordre du jour ;
- un ajournement, un refus, une sortie refusée portent un motif ; une admission, un référent et sa
  structure (et elle seule) ;
- une session clôturée a sa date de clôture et son procès-verbal ;
- pas deux sessions du même type, même territoire, au même moment dans un PLIE.

La vie d'une séance est une machine à états journalisée (`parcours.core.fsm`, django-fsm-2) :
planifiée → ordre du jour envoyé → en cours → tenue → clôturée ; chaque passage écrit une ligne
de `TransitionSession` (qui, quand, de, vers, pourquoi). Les services de
`parcours.commissions.services` sont les seuls à les appeler.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField

from parcours.commissions.enums import (
    DECISIONS_MOTIVEES,
    STATUTS_SESSION_ANNULABLE,
    STATUTS_SESSION_INSCRIPTIBLE,
    STATUTS_SESSION_OUVERTE,
    ObjetDossier,
    StatutSession,
    TypeCommission,
    TypeDecision,
)
from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.fsm import JournaliseMixin, transition
from parcours.core.models import JournalTransition
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne


def chemin_proces_verbal(session, filename):
    # Référencé par la migration 0001 : le nom est désormais aléatoire (ChampDocument).
    return nom_aleatoire(TypeDocument.PROCES_VERBAL, filename)


class SessionCommissionQuerySet(models.QuerySet):
    def ouvertes(self):
        return self.filter(statut__in=STATUTS_SESSION_OUVERTE)


class SessionCommission(JournaliseMixin):
    """Une séance d'une commission (entrée, sortie ou les deux) d'un PLIE, à une date."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="sessions")
    territoire = models.ForeignKey(
        "core.Territoire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        help_text="Vide quand la commission du PLIE couvre tout son territoire.",
    )
    type = models.CharField("type", max_length=10, choices=TypeCommission.choices)
    date = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200, blank=True, validators=[texte_sur_une_ligne])
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_presidees",
        verbose_name="président·e",
    )
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sessions_commission"
    )
    presents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="membres présents",
        help_text="Relevé à la clôture ; le procès-verbal les nomme.",
    )
    statut = FSMField(
        "statut",
        max_length=25,
        choices=StatutSession.choices,
        default=StatutSession.PLANIFIEE,
        protected=True,
    )
    planifiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ordre_du_jour_envoye_le = models.DateTimeField("ordre du jour envoyé le", null=True, blank=True)
    cloturee_le = models.DateTimeField("clôturée le", null=True, blank=True)
    cloturee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proces_verbal = ChampDocument(
        "procès-verbal", type_document=TypeDocument.PROCES_VERBAL, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionCommissionQuerySet.as_manager()

    journal_fk = "session"
    message_conflit = (
        "La séance vient d'être modifiée par quelqu'un d'autre : rechargez la page et recommencez."
    )

    class Meta:
        verbose_name = "session de commission"
        verbose_name_plural = "sessions de commission"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypeCommission.values), name="session_type_connu"
            ),
            models.CheckConstraint(
                condition=Q(statut__in=StatutSession.values), name="session_statut_connu"
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutSession.CLOTUREE)
                | (Q(cloturee_le__isnull=False) & ~Q(proces_verbal="")),
                name="session_cloturee_a_son_proces_verbal",
            ),
            # Une séance annulée libère son créneau : on peut en planifier une autre.
            models.UniqueConstraint(
                fields=["plie", "territoire", "type", "date"],
                nulls_distinct=False,
                condition=~Q(statut="annulee"),
                name="session_une_par_creneau",
            ),
        ]
        indexes = [
            models.Index(fields=["plie", "date"], name="session_plie_date"),
            models.Index(fields=["plie", "statut", "date"], name="session_plie_statut_date"),
        ]

    def __str__(self):
        return self.libelle

    @property
    def date_locale(self):
        return timezone.localtime(self.date)

    @property
    def libelle(self) -> str:
        texte = f"{self.get_type_display()} du {self.date_locale:%d/%m/%Y à %H:%M}"
        if self.territoire_id:
            texte += f" — {self.territoire}"
        return texte

    @property
    def designation(self) -> str:
        return f"la {self.libelle.lower()}"

    @property
    def est_ouverte(self) -> bool:
        return self.statut in STATUTS_SESSION_OUVERTE

    # — La vie de la séance : les services vérifient l'état et les droits avant d'appeler (pour
    # un message qui dit quoi faire) ; ces transitions en sont le dernier rempart et le journal.

    @transition(
        list(STATUTS_SESSION_INSCRIPTIBLE),
        StatutSession.ORDRE_DU_JOUR_ENVOYE,
        libelle="Envoyer l'ordre du jour",
        permission="commissions.gerer_session",
    )
    def envoyer_ordre_du_jour(self, *, par, motif=""):
        self.ordre_du_jour_envoye_le = timezone.now()

    @transition(
        list(STATUTS_SESSION_INSCRIPTIBLE),
        StatutSession.EN_COURS,
        libelle="Ouvrir la séance",
        permission="commissions.decider_en_session",
    )
    def ouvrir(self, *, par, motif=""):
        pass

    @transition(
        StatutSession.EN_COURS,
        StatutSession.TENUE,
        libelle="Terminer les décisions",
        permission="commissions.decider_en_session",
    )
    def terminer(self, *, par, motif=""):
        pass

    @transition(
        StatutSession.TENUE,
        StatutSession.CLOTUREE,
        libelle="Clôturer la séance",
        permission="commissions.cloturer_session",
    )
    def cloturer(self, *, par, motif=""):
        self.cloturee_le = timezone.now()
        self.cloturee_par = par

    @transition(
        list(STATUTS_SESSION_ANNULABLE),
        StatutSession.ANNULEE,
        libelle="Annuler la séance",
        permission="commissions.gerer_session",
    )
    def annuler(self, *, par, motif=""):
        pass


class TransitionSession(JournalTransition):
    """Journal des changements d'état d'une séance : une ligne par transition."""

    session = models.ForeignKey(
        SessionCommission, on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField("de", max_length=25, choices=StatutSession.choices)
    target = models.CharField("vers", max_length=25, choices=StatutSession.choices)

    class Meta(JournalTransition.Meta):
        verbose_name = "transition de séance"
        verbose_name_plural = "transitions de séance"
        indexes = [models.Index(fields=["session", "at"], name="transition_session_at")]

    @property
    def libelle(self) -> str:
        return getattr(SessionCommission, self.transition).libelle


SessionCommission.journal_model = TransitionSession


class InscriptionSession(models.Model):
    """Une ligne de l'ordre du jour : un dossier présenté à une session."""

    session = models.ForeignKey(
        SessionCommission, on_delete=models.CASCADE, related_name="inscriptions"
    )
    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.PROTECT, related_name="inscriptions_commission"
    )
    objet = models.CharField("examen", max_length=10, choices=ObjetDossier.choices)
    ordre = models.PositiveIntegerField("ordre de passage")
    reportee_de = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="reportée de",
        help_text="L'inscription de la session où le dossier a été ajourné.",
    )
    inscrite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inscrite_le = models.DateTimeField("inscrite le", default=timezone.now)
    annoncee_le = models.DateTimeField(
        "prescripteur informé le",
        null=True,
        blank=True,
        help_text="Envoi de l'ordre du jour : le prescripteur est informé une fois par dossier.",
    )

    class Meta:
        verbose_name = "inscription à l'ordre du jour"
        verbose_name_plural = "inscriptions à l'ordre du jour"
        ordering = ["session", "ordre", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "parcours"], name="inscription_une_fois_par_session"
            ),
            models.CheckConstraint(
                condition=Q(objet__in=ObjetDossier.values), name="inscription_objet_connu"
            ),
        ]

    def __str__(self):
        return f"{self.parcours.participant} — {self.session}"


class Decision(models.Model):
    """La décision d'une session sur un dossier de son ordre du jour."""

    session = models.ForeignKey(
        SessionCommission, on_delete=models.PROTECT, related_name="decisions"
    )
    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.PROTECT, related_name="decisions_commission"
    )
    type = models.CharField("décision", max_length=20, choices=TypeDecision.choices)
    motif = models.TextField("motif", blank=True, validators=[texte_sur_plusieurs_lignes])
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="référent désigné",
    )
    structure = models.ForeignKey(
        "core.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure du référent",
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    le = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "décision de commission"
        verbose_name_plural = "décisions de commission"
        ordering = ["session", "le", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "parcours"], name="decision_une_par_dossier_et_session"
            ),
            models.CheckConstraint(
                condition=Q(type__in=TypeDecision.values), name="decision_type_connu"
            ),
            models.CheckConstraint(
                condition=~Q(type__in=DECISIONS_MOTIVEES) | ~Q(motif=""),
                name="decision_motivee",
            ),
            models.CheckConstraint(
                condition=Q(
                    type=TypeDecision.ADMIS, referent__isnull=False, structure__isnull=False
                )
                | (~Q(type=TypeDecision.ADMIS) & Q(referent__isnull=True, structure__isnull=True)),
                name="decision_referent_si_admis",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.parcours.participant} ({self.session})"

    @property
    def le_local(self):
        return timezone.localtime(self.le)
