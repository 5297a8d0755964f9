"""L'emploi du participant et sa sortie (docs/emploi.md).

- `Contrat` : un contrat de travail (ou une mission d'intérim, une création d'entreprise, une
  formation qualifiante) du participant pendant son parcours ; le moteur de qualification
  (`parcours/emploi/qualification/`) les évalue selon les règles de sortie du PLIE.
- `PropositionSortie` : la sortie proposée par le référent, examinée par la commission de sortie.
- `DonneesSortieFSE` : la situation à la sortie, à saisir dans les 4 semaines (FSE+).

Invariants tenus par la base : dates de fin après le début ; pas deux contrats qui se chevauchent
chez le même employeur dans un parcours (contrainte d'exclusion GiST) ; une seule proposition de
sortie en attente par parcours ; une sortie « autre » porte l'accompagnement relais recherché ;
les données FSE de sortie portent le détail qu'exige leur situation.
"""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone

from parcours.accompagnement.enums import CategorieSortie, TypeSortie
from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
from parcours.emploi.enums import TypeContrat

# Types de sortie « autres » (administratives) : la proposition dit quel relais est recherché.
TYPES_SORTIE_AUTRE = tuple(t.value for t in TypeSortie if t.categorie == CategorieSortie.AUTRE)


class DateRange(Func):
    """`daterange(debut, fin, '[]')` : une fin vide est un contrat en cours (borne infinie)."""

    function = "daterange"
    output_field = DateRangeField()


class Singleton(Func):
    """`int8range(x, x, '[]')` : l'égalité exprimée en chevauchement d'intervalles, pour que la
    contrainte d'exclusion n'ait besoin que des classes GiST natives des intervalles (l'extension
    btree_gist manque au PostgreSQL embarqué)."""

    template = "int8range(%(expressions)s, %(expressions)s, '[]')"
    output_field = BigIntegerRangeField()


class HashText(Func):
    function = "hashtext"
    output_field = models.IntegerField()


# Référencés par la migration 0001 : les noms sont désormais aléatoires (ChampDocument).
def chemin_justificatif_contrat(instance, filename):
    return nom_aleatoire(TypeDocument.JUSTIFICATIF_CONTRAT, filename)


def chemin_justificatif_sortie(instance, filename):
    return nom_aleatoire(TypeDocument.JUSTIFICATIF_SORTIE, filename)


class Contrat(models.Model):
    """Un contrat du participant. Une mission d'intérim = un contrat, avec ses heures réalisées.

    `version` protège des écritures concurrentes : une modification porte la version lue et
    échoue si le contrat a changé entre-temps (services.modifier_contrat).
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.PROTECT, related_name="contrats"
    )
    type = models.CharField("type de contrat", max_length=30, choices=TypeContrat.choices)
    employeur = models.CharField(
        "employeur",
        max_length=200,
        help_text="Pour l'intérim : l'agence (ou l'ETTI) ; l'entreprise utilisatrice en client.",
        validators=[texte_sur_une_ligne],
    )
    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contrats",
        help_text="L'entreprise du réseau, quand l'embauche vient d'une mise en relation.",
    )
    client = models.CharField(
        "entreprise utilisatrice",
        max_length=200,
        blank=True,
        help_text="Intérim, ETTI, AI : l'entreprise où la mission se déroule.",
        validators=[texte_sur_une_ligne],
    )
    debut = models.DateField("début")
    fin = models.DateField("fin", null=True, blank=True, help_text="Vide : contrat en cours.")
    heures_hebdo = models.DecimalField(
        "heures par semaine", max_digits=4, decimal_places=2, null=True, blank=True
    )
    heures = models.DecimalField(
        "heures réalisées",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Missions d'intérim : les heures réellement travaillées.",
    )
    periode_essai_jours = models.PositiveSmallIntegerField(
        "période d'essai (jours)", null=True, blank=True
    )
    fin_periode_essai = models.DateField("fin de la période d'essai", null=True, blank=True)
    temps_partiel_choisi = models.BooleanField(
        "temps partiel choisi par le participant",
        default=False,
        help_text="Le participant accepte un temps partiel (règles « moins d'un mi-temps si "
        "accord »).",
    )
    justificatif = ChampDocument(
        "justificatif", type_document=TypeDocument.JUSTIFICATIF_CONTRAT, blank=True
    )
    motif_fin = models.TextField(
        "motif de fin", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisi par",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifié par",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "contrat"
        verbose_name_plural = "contrats"
        ordering = ["-debut", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypeContrat.values), name="contrat_type_connu"
            ),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=F("debut")),
                name="contrat_fin_apres_debut",
            ),
            models.CheckConstraint(
                condition=Q(heures_hebdo__isnull=True)
                | Q(heures_hebdo__gt=0, heures_hebdo__lte=48),
                name="contrat_heures_hebdo_plausibles",
            ),
            models.CheckConstraint(
                condition=Q(heures__isnull=True) | Q(heures__gte=0), name="contrat_heures_positives"
            ),
            models.CheckConstraint(
                condition=Q(fin_periode_essai__isnull=True) | Q(fin_periode_essai__gte=F("debut")),
                name="contrat_essai_apres_debut",
            ),
            ExclusionConstraint(
                name="contrat_sans_chevauchement_meme_employeur",
                # Employeur comparé par son empreinte (hashtext) : une collision refuserait à
                # tort ; le service compare d'abord les noms exacts, sans casse.
                expressions=[
                    (Singleton(F("parcours")), RangeOperators.OVERLAPS),
                    (Singleton(HashText(Lower("employeur"))), RangeOperators.OVERLAPS),
                    (DateRange("debut", "fin", Value("[]")), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [models.Index(fields=["parcours", "debut"], name="contrat_parcours_debut")]

    def __str__(self):
        fin = f" au {self.fin:%d/%m/%Y}" if self.fin else " (en cours)"
        return f"{self.get_type_display()} — {self.employeur}, du {self.debut:%d/%m/%Y}{fin}"

    def en_cours(self, date=None) -> bool:
        date = date or timezone.localdate()
        return self.debut <= date and (self.fin is None or self.fin >= date)


class StatutProposition(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente de la commission"
    VALIDEE = "validee", "Validée"
    REFUSEE = "refusee", "Refusée"


class PropositionSortie(models.Model):
    """La sortie proposée par le référent, avec son type, sa date et ses preuves.

    La commission de sortie la valide (le parcours passe `sorti`) ou la refuse (retour en
    accompagnement, avec son motif) ; l'historique des propositions reste dans le dossier.
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.PROTECT, related_name="propositions_sortie"
    )
    type_sortie = models.CharField("type de sortie", max_length=30, choices=TypeSortie.choices)
    date_sortie = models.DateField("date de sortie")
    commentaire = models.TextField(
        "éléments à l'appui", blank=True, validators=[texte_sur_plusieurs_lignes]
    )
    relais = models.TextField(
        "accompagnement relais recherché",
        blank=True,
        help_text="Obligatoire pour une sortie « autre » : vers qui la personne est orientée.",
        validators=[texte_sur_plusieurs_lignes],
    )
    justificatif = ChampDocument(
        "justificatif", type_document=TypeDocument.JUSTIFICATIF_SORTIE, blank=True
    )
    qualification = models.JSONField(
        "qualification calculée à la proposition", null=True, blank=True
    )
    statut = models.CharField(
        "statut", max_length=15, choices=StatutProposition.choices, default="en_attente"
    )
    proposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="proposée par",
    )
    proposee_le = models.DateTimeField("proposée le", default=timezone.now)
    decision = models.OneToOneField(
        "commissions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposition_sortie",
    )
    decidee_le = models.DateTimeField("décidée le", null=True, blank=True)
    motif_refus = models.TextField(
        "motif du refus", blank=True, validators=[texte_sur_plusieurs_lignes]
    )

    class Meta:
        verbose_name = "proposition de sortie"
        verbose_name_plural = "propositions de sortie"
        ordering = ["-proposee_le", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcours"],
                condition=Q(statut="en_attente"),
                name="une_proposition_de_sortie_en_attente",
            ),
            models.CheckConstraint(
                condition=Q(type_sortie__in=TypeSortie.values), name="proposition_type_connu"
            ),
            models.CheckConstraint(
                condition=~Q(type_sortie__in=TYPES_SORTIE_AUTRE) | ~Q(relais=""),
                name="proposition_autre_avec_relais",
            ),
            models.CheckConstraint(
                condition=~Q(statut="refusee") | ~Q(motif_refus=""),
                name="proposition_refus_motive",
            ),
        ]

    def __str__(self):
        return f"Sortie proposée ({self.get_type_sortie_display()}) — parcours {self.parcours_id}"

    @property
    def categorie(self) -> CategorieSortie:
        return TypeSortie(self.type_sortie).categorie


class SituationSortie(models.TextChoices):
    """Situation à la sortie, au sens des indicateurs FSE+ (DOMAIN §7)."""

    EMPLOI = "emploi", "En emploi (y compris création d'entreprise)"
    FORMATION = "formation", "En formation"
    QUALIFICATION = "qualification", "Qualification obtenue"
    RECHERCHE = "recherche", "En recherche d'emploi"
    AUTRE = "autre", "Autre situation (inactivité, déménagement…)"


class DonneesSortieFSE(models.Model):
    """Les données FSE+ de sortie d'un parcours sorti, saisies par le référent."""

    parcours = models.OneToOneField(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="donnees_sortie_fse"
    )
    situation = models.CharField(
        "situation à la sortie", max_length=15, choices=SituationSortie.choices
    )
    type_contrat = models.CharField(
        "type de contrat", max_length=30, choices=TypeContrat.choices, blank=True
    )
    employeur = models.CharField(
        "employeur", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    temps_plein = models.BooleanField("à temps plein", null=True, blank=True)
    intitule_formation = models.CharField(
        "formation suivie", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    qualification_obtenue = models.BooleanField(
        "qualification obtenue (diplôme, titre, certificat)", default=False
    )
    intitule_qualification = models.CharField(
        "qualification", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    precision = models.TextField("précisions", blank=True, validators=[texte_sur_plusieurs_lignes])
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisie par",
    )
    saisie_le = models.DateTimeField("saisie le", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "données FSE+ de sortie"
        verbose_name_plural = "données FSE+ de sortie"
        indexes = [models.Index(fields=["updated_at"], name="sortie_fse_modifiee_le")]
        constraints = [
            models.CheckConstraint(
                condition=Q(situation__in=SituationSortie.values),
                name="sortie_fse_situation_connue",
            ),
            models.CheckConstraint(
                condition=~Q(situation="emploi") | ~Q(type_contrat=""),
                name="sortie_fse_emploi_avec_contrat",
            ),
            models.CheckConstraint(
                condition=~Q(situation="formation") | ~Q(intitule_formation=""),
                name="sortie_fse_formation_nommee",
            ),
            models.CheckConstraint(
                condition=(~Q(situation="qualification") & Q(qualification_obtenue=False))
                | ~Q(intitule_qualification=""),
                name="sortie_fse_qualification_nommee",
            ),
            models.CheckConstraint(
                condition=~Q(situation="autre") | ~Q(precision=""),
                name="sortie_fse_autre_precisee",
            ),
        ]

    def __str__(self):
        return f"Données FSE+ de sortie — parcours {self.parcours_id}"
