"""Relations entreprises (CRE) : le réseau d'entreprises d'un PLIE, leurs contacts, leurs offres.

Invariants tenus par la base : un SIRET (14 chiffres) n'apparaît qu'une fois par PLIE ; une
offre qualifiée a son type de contrat et son lieu ; au moins un poste, des heures plausibles ;
une seule mise en relation par offre et par parcours ; une candidature non retenue est motivée ;
une diffusion nomme son destinataire (référent ou structure) ; un participant émarge une fois.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField

from parcours.core.documents import ChampDocument, TypeDocument, nom_aleatoire
from parcours.core.fsm import JournaliseMixin, condition, transition
from parcours.core.models import JournalTransition
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
from parcours.emploi.enums import TypeContrat
from parcours.entreprises.enums import (
    STATUTS_OFFRE_OUVERTE,
    CanalContactEntreprise,
    CanalDiffusion,
    StatutMiseEnRelation,
    StatutOffre,
    TrancheEffectif,
    TypeEvenement,
)
from parcours.entreprises.siret import normaliser_siret, valider_siret
from parcours.participants.normalisation import normaliser


class EntrepriseQuerySet(models.QuerySet):
    def recherche(self, texte: str):
        """Par raison sociale (sans accents ni casse) ou par SIRET / SIREN."""
        qs = self
        chiffres = normaliser_siret(texte)
        if chiffres.isdigit() and len(chiffres) >= 3:
            return qs.filter(siret__startswith=chiffres)
        for mot in normaliser(texte).split():
            qs = qs.filter(recherche__contains=mot)
        return qs


class Entreprise(models.Model):
    """Une entreprise (établissement, identifié par son SIRET) du réseau d'un PLIE."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="entreprises")
    raison_sociale = models.CharField(
        "raison sociale", max_length=200, validators=[texte_sur_une_ligne]
    )
    siret = models.CharField(
        "SIRET",
        max_length=14,
        validators=[texte_sur_une_ligne, valider_siret],
        help_text="14 chiffres : SIREN (9) et numéro d'établissement (5).",
    )
    secteur = models.CharField(
        "secteur d'activité",
        max_length=200,
        blank=True,
        help_text="Code NAF (ex. 43.21A) ou libellé libre.",
        validators=[texte_sur_une_ligne],
    )
    tranche_effectif = models.CharField(
        "effectif", max_length=10, choices=TrancheEffectif.choices, blank=True
    )
    partenaire = models.BooleanField(
        "partenaire du PLIE", default=False, help_text="Entreprise engagée dans le réseau du PLIE."
    )
    adresse = models.CharField(
        "adresse", max_length=300, blank=True, validators=[texte_sur_une_ligne]
    )
    commune = models.CharField(
        "commune", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    recherche = models.CharField(max_length=400, editable=False, db_index=True)
    # Protège des écritures concurrentes : une modification porte la version lue.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )

    objects = EntrepriseQuerySet.as_manager()

    class Meta:
        verbose_name = "entreprise"
        ordering = ["raison_sociale", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plie", "siret"],
                name="entreprise_siret_unique_par_plie",
                violation_error_message="Une entreprise de ce PLIE porte déjà ce SIRET.",
            ),
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="entreprise_siret_14_chiffres"
            ),
        ]
        indexes = [
            models.Index(fields=["plie", "partenaire"]),
            models.Index(fields=["plie", "secteur"]),
        ]

    def __str__(self):
        return self.raison_sociale

    def save(self, *args, **kwargs):
        self.siret = normaliser_siret(self.siret)
        self.recherche = normaliser(self.raison_sociale)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche", "siret"}
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            # Le doublon de SIRET s'affiche sur le champ SIRET du formulaire.
            erreurs = exc.update_error_dict({})
            generales = erreurs.pop(NON_FIELD_ERRORS, [])
            doublon = [e for e in generales if "SIRET" in str(e)]
            if doublon:
                erreurs.setdefault("siret", []).extend(doublon)
            autres = [e for e in generales if e not in doublon]
            if autres:
                erreurs[NON_FIELD_ERRORS] = autres
            raise ValidationError(erreurs) from None

    @property
    def siren(self) -> str:
        return self.siret[:9]

    @property
    def est_tpe(self) -> bool:
        return self.tranche_effectif in (TrancheEffectif.AUCUN, TrancheEffectif.TPE)


class ContactEntreprise(models.Model):
    """Un échange avec l'entreprise : quand, par quel canal, avec qui, par qui, ce qui s'est dit."""

    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField("date", default=timezone.localdate)
    canal = models.CharField("canal", max_length=20, choices=CanalContactEntreprise.choices)
    interlocuteur = models.CharField(
        "interlocuteur",
        max_length=200,
        blank=True,
        help_text="Nom et fonction dans l'entreprise.",
        validators=[texte_sur_une_ligne],
    )
    note = models.TextField("compte rendu", validators=[texte_sur_plusieurs_lignes])
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contact entreprise"
        verbose_name_plural = "contacts entreprise"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["entreprise", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(canal__in=CanalContactEntreprise.values), name="contact_canal_connu"
            ),
        ]

    def __str__(self):
        return f"{self.get_canal_display()} le {self.date:%d/%m/%Y}"


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


def chemin_emargement(evenement, filename):
    # Référencé par la migration 0002 : le nom est désormais aléatoire (ChampDocument).
    return nom_aleatoire(TypeDocument.EMARGEMENT_EVENEMENT, filename)


class Evenement(models.Model):
    """Un événement emploi (job dating, forum, visite d'entreprise) et son émargement."""

    plie = models.ForeignKey("core.PLIE", on_delete=models.PROTECT, related_name="evenements")
    type = models.CharField("type", max_length=20, choices=TypeEvenement.choices)
    titre = models.CharField("titre", max_length=200, validators=[texte_sur_une_ligne])
    date = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200, validators=[texte_sur_une_ligne])
    entreprises = models.ManyToManyField(
        Entreprise, blank=True, related_name="evenements", verbose_name="entreprises présentes"
    )
    feuille_emargement = ChampDocument(
        "feuille d'émargement signée", type_document=TypeDocument.EMARGEMENT_EVENEMENT, blank=True
    )
    emargement_depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emargement_depose_le = models.DateTimeField(null=True, blank=True)
    organise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisé par",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["plie", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypeEvenement.values), name="evenement_type_connu"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.titre} ({self.date:%d/%m/%Y})"


class PresenceEvenement(models.Model):
    """Un participant présent à l'événement (émargement), noté par qui et quand."""

    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="presences")
    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.PROTECT, related_name="presences_evenements"
    )
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "présence à un événement"
        verbose_name_plural = "présences aux événements"
        constraints = [
            models.UniqueConstraint(
                fields=["evenement", "parcours"], name="une_presence_par_evenement_et_parcours"
            ),
        ]

    def __str__(self):
        return f"Présence au {self.evenement}"
