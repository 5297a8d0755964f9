"""Le suivi du parcours : étapes (typées par le catalogue du PLIE) et leurs preuves, entretiens et
contacts, suspensions (veille), changements de référent et intérims (docs/accompagnement.md).

Importé à la fin de `parcours/accompagnement/models.py` : les modèles appartiennent à l'application
`accompagnement`. Le catalogue des étapes et les délais de suivi viennent des sections `etapes` et
`suivi` du référentiel du PLIE ; les services sont dans `parcours/accompagnement/suivi.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from parcours.accompagnement.enums import (
    CANAUX_PHYSIQUES,
    STATUTS_ETAPE_A_JUSTIFIER,
    CanalContact,
    MotifSuspension,
    Presence,
    StatutEtape,
)
from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.fichiers import aide
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne

AIDE_FICHIER = aide()


# Référencés par la migration 0005 : les noms sont désormais aléatoires (ChampDocument).
def chemin_preuve(instance, filename):
    return nom_aleatoire(TypeDocument.PREUVE_ETAPE, filename)


def chemin_emargement(instance, filename):
    return nom_aleatoire(TypeDocument.EMARGEMENT_ENTRETIEN, filename)


# — Étapes de parcours —


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
        "fichier", type_document=TypeDocument.PREUVE_ETAPE, max_length=300, help_text=AIDE_FICHIER
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


# — Entretiens et contacts —


class Entretien(models.Model):
    """Un entretien ou un contact avec la personne (ou un rendez-vous manqué).

    Pour un entretien physique, la feuille d'émargement signée en est la preuve. Une absence
    injustifiée déclenche les relances du référentiel (courrier puis appel : workflows/suivi.py).
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="entretiens"
    )
    date = models.DateTimeField("date et heure")
    canal = models.CharField("canal", max_length=30, choices=CanalContact.choices)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    note = models.TextField("compte rendu", blank=True, validators=[texte_sur_plusieurs_lignes])
    emargement = ChampDocument(
        "feuille d'émargement",
        type_document=TypeDocument.EMARGEMENT_ENTRETIEN,
        blank=True,
        max_length=300,
        help_text=AIDE_FICHIER,
    )
    presence = models.CharField(
        "présence", max_length=20, choices=Presence.choices, default=Presence.PRESENT
    )
    motif_absence = models.TextField(
        "motif de l'absence", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "entretien"
        verbose_name_plural = "entretiens"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(canal__in=[c.value for c in CanalContact]), name="entretien_canal_connu"
            ),
            models.CheckConstraint(
                condition=Q(presence__in=[p.value for p in Presence]),
                name="entretien_presence_connue",
            ),
            models.CheckConstraint(
                condition=Q(presence=Presence.PRESENT) | Q(emargement=""),
                name="entretien_emargement_si_present",
                violation_error_message="Pas de feuille d'émargement pour une personne absente.",
            ),
        ]
        indexes = [models.Index(fields=["parcours", "date"])]

    def __str__(self):
        return f"{self.get_canal_display()} du {timezone.localtime(self.date):%d/%m/%Y}"

    @property
    def physique(self) -> bool:
        return self.canal in CANAUX_PHYSIQUES

    @property
    def absent(self) -> bool:
        return self.presence != Presence.PRESENT

    @property
    def emargement_manquant(self) -> bool:
        """Un entretien physique tenu sans feuille d'émargement déposée."""
        return self.physique and not self.absent and not self.emargement


# — Suspension (veille) —


class SuspensionQuerySet(models.QuerySet):
    def en_cours(self):
        return self.filter(levee_le__isnull=True)


class Suspension(models.Model):
    """Une période de veille : le parcours est suspendu (transition `suspendre`) jusqu'à sa levée
    (transition `reprendre`). Les horloges du suivi (entretien mensuel, inactivité) s'arrêtent.

    `fin_prevue` : début + la durée du référentiel (`suivi.suspension_mois`) ; chaque
    renouvellement la repousse et laisse une ligne de `RenouvellementSuspension`.
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="suspensions"
    )
    motif = models.CharField("motif", max_length=20, choices=MotifSuspension.choices)
    precision = models.TextField("précision", blank=True, validators=[texte_sur_plusieurs_lignes])
    debut = models.DateField("début")
    fin_prevue = models.DateField("fin prévue")
    renouvellements = models.PositiveSmallIntegerField("renouvellements", default=0)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="suspendu par",
    )
    le = models.DateTimeField("saisie le", default=timezone.now)
    levee_le = models.DateField("levée le", null=True, blank=True)
    levee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="levée par",
    )
    motif_levee = models.TextField(
        "motif de la levée", blank=True, validators=[texte_sur_plusieurs_lignes]
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = "suspension de parcours"
        verbose_name_plural = "suspensions de parcours"
        ordering = ["-debut", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcours"],
                condition=Q(levee_le__isnull=True),
                name="une_suspension_en_cours_par_parcours",
                violation_error_message="Ce parcours a déjà une suspension en cours.",
            ),
            models.CheckConstraint(
                condition=Q(fin_prevue__gte=F("debut")),
                name="suspension_fin_apres_debut",
                violation_error_message="La fin prévue ne peut pas précéder le début.",
            ),
            models.CheckConstraint(
                condition=Q(levee_le__isnull=True)
                | (Q(levee_le__gte=F("debut")) & Q(levee_par__isnull=False)),
                name="suspension_levee_datee_et_signee",
            ),
            models.CheckConstraint(
                condition=Q(motif__in=[m.value for m in MotifSuspension]),
                name="suspension_motif_connu",
            ),
        ]
        indexes = [models.Index(fields=["parcours", "debut"])]

    def __str__(self):
        return f"Suspension ({self.get_motif_display().lower()}) du {self.debut:%d/%m/%Y}"

    @property
    def en_cours(self) -> bool:
        return self.levee_le is None

    @property
    def fin_effective(self):
        return self.levee_le or self.fin_prevue


class RenouvellementSuspension(models.Model):
    """Journal des renouvellements d'une suspension : qui, quand, de quelle fin à quelle fin."""

    suspension = models.ForeignKey(
        Suspension, on_delete=models.CASCADE, related_name="journal_renouvellements"
    )
    ancienne_fin = models.DateField("ancienne fin prévue")
    nouvelle_fin = models.DateField("nouvelle fin prévue")
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    le = models.DateTimeField("le", default=timezone.now)
    motif = models.TextField("motif", blank=True, validators=[texte_sur_plusieurs_lignes])

    class Meta:
        verbose_name = "renouvellement de suspension"
        verbose_name_plural = "renouvellements de suspension"
        ordering = ["le", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nouvelle_fin__gt=F("ancienne_fin")),
                name="renouvellement_repousse_la_fin",
            ),
        ]

    def __str__(self):
        return f"Renouvellement jusqu'au {self.nouvelle_fin:%d/%m/%Y}"


# — Changement de référent, intérim —


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
