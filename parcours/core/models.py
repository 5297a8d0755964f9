from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.enums import DroitCle, Role, TypeStructure
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne


class PLIE(models.Model):
    """Le locataire : un plan local, son territoire et ses règles (référentiel)."""

    code = models.SlugField("code", max_length=50, unique=True)
    nom = models.CharField("nom", max_length=200, validators=[texte_sur_une_ligne])
    structure_porteuse = models.CharField(
        "structure porteuse", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )

    class Meta:
        verbose_name = "PLIE"
        verbose_name_plural = "PLIE"
        ordering = ["nom"]
        # Droit objet (sur un PLIE) calculé par parcours.core.backends depuis les adhésions :
        # il ouvre la file « à prendre » des tâches d'animation (recevabilité…).
        permissions = [
            ("animer_plie", "Animer le PLIE (recevabilité, commissions)"),
            ("suivre_emploi_plie", "Suivre les personnes en emploi du PLIE (CRE)"),
        ]

    def __str__(self):
        return self.nom


class Territoire(models.Model):
    plie = models.ForeignKey(PLIE, on_delete=models.CASCADE, related_name="territoires")
    code = models.SlugField("code", max_length=50)
    nom = models.CharField("nom", max_length=200, validators=[texte_sur_une_ligne])

    class Meta:
        verbose_name = "territoire"
        ordering = ["plie", "nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["plie", "code"], name="territoire_code_unique_par_plie"
            ),
        ]

    def __str__(self):
        return self.nom


class Commune(models.Model):
    """Commune du territoire d'un PLIE, identifiée par son code INSEE (données Etalab)."""

    plie = models.ForeignKey(PLIE, on_delete=models.CASCADE, related_name="communes")
    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="communes")
    insee = models.CharField("code INSEE", max_length=5, validators=[texte_sur_une_ligne])
    nom = models.CharField("nom", max_length=200, validators=[texte_sur_une_ligne])

    class Meta:
        verbose_name = "commune"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(fields=["plie", "insee"], name="commune_insee_unique_par_plie"),
            models.CheckConstraint(
                condition=Q(insee__regex=r"^[0-9][0-9AB][0-9]{3}$"), name="commune_insee_format"
            ),
        ]

    def __str__(self):
        return f"{self.nom} ({self.insee})"


class Structure(models.Model):
    plie = models.ForeignKey(PLIE, on_delete=models.PROTECT, related_name="structures")
    nom = models.CharField("nom", max_length=200, validators=[texte_sur_une_ligne])
    type = models.CharField("type", max_length=20, choices=TypeStructure.choices)
    territoire = models.ForeignKey(
        Territoire, on_delete=models.SET_NULL, null=True, blank=True, related_name="structures"
    )

    class Meta:
        verbose_name = "structure"
        ordering = ["plie", "nom"]
        constraints = [
            models.UniqueConstraint(fields=["plie", "nom"], name="structure_nom_unique_par_plie"),
        ]

    def __str__(self):
        return self.nom


class User(AbstractUser):
    """Un compte ; les rôles sont portés par les adhésions (Membership), pas par l'utilisateur."""

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    def memberships_actives(self):
        return Membership.objects.actives().filter(user=self).select_related("structure__plie")


class MembershipQuerySet(models.QuerySet):
    def actives(self, date=None):
        date = date or timezone.localdate()
        return self.filter(Q(debut__lte=date), Q(fin__isnull=True) | Q(fin__gte=date))


class Membership(models.Model):
    """Un rôle tenu par un utilisateur dans une structure, sur une période."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    debut = models.DateField("début", default=timezone.localdate)
    fin = models.DateField("fin", null=True, blank=True)
    etp = models.DecimalField(
        "ETP",
        max_digits=3,
        decimal_places=2,
        default=1,
        help_text="Temps de travail (1 = temps plein)",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion"
        ordering = ["user", "structure", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=models.F("debut")),
                name="membership_fin_apres_debut",
            ),
            models.UniqueConstraint(
                fields=["user", "structure", "role", "debut"], name="membership_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.structure}"


class JournalTransition(models.Model):
    """Colonnes communes des journaux d'états (parcours, offre, mise en relation, candidature) :
    une ligne par transition, jamais modifiée. Le modèle concret ajoute la clé vers l'objet
    journalisé, `source`/`target` avec les choix de ses états, et `libelle`."""

    transition = models.CharField("transition", max_length=50, validators=[texte_sur_une_ligne])
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    at = models.DateTimeField("le", default=timezone.now)
    motif = models.TextField("motif", blank=True, validators=[texte_sur_plusieurs_lignes])

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.libelle} ({self.get_source_display()} → {self.get_target_display()})"


class PassePeriodique(models.Model):
    """La trace des passes d'une commande périodique (parcours/core/periodiques.py) : combien ont
    tourné, quand a commencé la dernière (point de départ de la suivante, pour les commandes
    incrémentales) et ce qu'elle a laissé à reprendre."""

    commande = models.CharField(max_length=100, unique=True)
    nombre = models.PositiveIntegerField(default=0)
    debut = models.DateTimeField("début de la dernière passe", null=True, blank=True)
    fin = models.DateTimeField("fin de la dernière passe", null=True, blank=True)
    etat = models.JSONField("état gardé pour la passe suivante", default=dict, blank=True)

    class Meta:
        verbose_name = "passe périodique"
        verbose_name_plural = "passes périodiques"

    def __str__(self):
        return f"{self.commande} ({self.nombre} passe(s))"


class CleApi(models.Model):
    """Une clé d'API d'un partenaire : limitée à une structure, à un rôle et à des droits.

    Le secret n'est jamais gardé : seule son empreinte SHA-256 l'est (le secret, 256 bits tirés
    au hasard, ne se devine pas : un hachage lent n'ajouterait rien), et il n'est montré qu'une
    fois, à la création. La clé agit par un compte technique (`compte`, sans mot de passe) qui
    tient le rôle dans la structure : la politique d'accès s'applique à elle comme à un compte
    de cette structure (parcours/core/cles.py)."""

    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="cles_api")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    droits = ArrayField(
        models.CharField(max_length=30, choices=DroitCle.choices), verbose_name="droits"
    )
    nom = models.CharField("nom", max_length=100, validators=[texte_sur_une_ligne])
    # Écrits par le service (parcours/core/cles.py), jamais saisis.
    prefixe = models.CharField("préfixe", max_length=12, unique=True, editable=False)
    empreinte = models.CharField("empreinte SHA-256", max_length=64, editable=False)
    compte = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="cle_api", verbose_name="compte technique"
    )
    expire_le = models.DateField("expire le")
    creee_par = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="créée par"
    )
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    revoquee_par = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="révoquée par",
    )
    revoquee_le = models.DateTimeField("révoquée le", null=True, blank=True)
    derniere_utilisation = models.DateTimeField("dernière utilisation", null=True, blank=True)

    class Meta:
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"
        ordering = ["-creee_le", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoquee_le__isnull=True, revoquee_par__isnull=True)
                | Q(revoquee_le__isnull=False, revoquee_par__isnull=False),
                name="cle_api_revocation_datee_et_signee",
            ),
            models.CheckConstraint(condition=~Q(droits=[]), name="cle_api_au_moins_un_droit"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.prefixe}…)"

    @property
    def active(self) -> bool:
        return self.revoquee_le is None and self.expire_le >= timezone.localdate()

    @property
    def libelles_droits(self) -> list[str]:
        return [DroitCle(d).label for d in self.droits]


class EcritureApi(models.Model):
    """Chaque écriture reçue par l'API : par quelle clé (ou quel compte connecté), quoi, sur quel
    objet ; et la clé d'idempotence envoyée, qui rejoue la même réponse au lieu d'écrire deux
    fois (unique par compte). Écrite par le code seul (`journaliser_ecriture`), jamais saisie."""

    cle = models.ForeignKey(
        CleApi, on_delete=models.PROTECT, null=True, blank=True, related_name="ecritures"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    plie = models.ForeignKey(PLIE, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField("le", default=timezone.now)
    action = models.CharField("action", max_length=50, editable=False)
    objet_type = models.CharField("objet", max_length=50, blank=True, editable=False)
    objet_id = models.CharField("identifiant de l'objet", max_length=50, blank=True, editable=False)
    cle_idempotence = models.CharField(
        "clé d'idempotence", max_length=100, blank=True, editable=False
    )
    empreinte_requete = models.CharField(
        "empreinte de la requête", max_length=64, blank=True, editable=False
    )
    statut_reponse = models.PositiveSmallIntegerField("statut de la réponse", null=True)
    detail = models.CharField("détail", max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = "écriture par l'API"
        verbose_name_plural = "écritures par l'API"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cle_idempotence"],
                condition=~Q(cle_idempotence=""),
                name="ecriture_api_idempotence_unique",
            ),
        ]
        indexes = [models.Index(fields=["cle", "-at"], name="ecriture_api_cle_at")]

    def __str__(self):
        return f"{self.action} — {self.at:%d/%m/%Y %H:%M}"
