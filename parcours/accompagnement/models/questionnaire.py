"""Le questionnaire FSE+ d'entrée, recueilli au premier entretien (docs/engagement.md) : les
données d'entrée exigées par le FSE+ que la fiche participant n'a pas, une fois par participation
à une opération FSE+ (docs/fse.md) ; ses services sont dans
`parcours/accompagnement/engagement/questionnaire.py`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parcours.core.contraintes import ContraintesEnUneRequete
from parcours.core.validators import texte_sur_une_ligne
from parcours.fse.enums import DiplomeDgefp
from parcours.participants.enums import NiveauQualification

# — Questionnaire FSE+ d'entrée (DOMAIN §7 ; questionnaire DGEFP, seed 001:L8084-8153) —


class SituationMarcheTravail(models.TextChoices):
    EN_EMPLOI = "en_emploi", "En emploi"
    EN_FORMATION = "en_formation", "En formation, en stage ou en école"
    DEMANDEUR_EMPLOI = "demandeur_emploi", "Demandeur d'emploi (en recherche active)"
    INACTIF = "inactif", "Ni en emploi, ni en formation, ni en recherche active d'emploi"


class TypeEmploi(models.TextChoices):
    """Question 1a-1d du questionnaire : l'emploi occupé à l'entrée."""

    INDEPENDANT = "independant", "Travailleur indépendant, chef d'entreprise"
    DURABLE = "durable", "Emploi durable (CDI ou CDD de 6 mois ou plus)"
    TEMPORAIRE = "temporaire", "Emploi temporaire (intérim, CDD de moins de 6 mois)"
    AIDE = "aide", "Emploi aidé (y compris IAE)"


class OuiNon(models.TextChoices):
    OUI = "oui", "Oui"
    NON = "non", "Non"


class OuiNonNeSouhaitePas(models.TextChoices):
    """Seules les questions « sans domicile / exclusion du logement » et « un parent né à
    l'étranger » acceptent « ne souhaite pas répondre » (seed 001:L7995-7998, L8143-8153)."""

    OUI = "oui", "Oui"
    NON = "non", "Non"
    NE_SOUHAITE_PAS_REPONDRE = "nsp", "Ne souhaite pas répondre / ne sait pas"


NSP = OuiNonNeSouhaitePas.NE_SOUHAITE_PAS_REPONDRE
MOIS_RECHERCHE_MAX = 600
CODE_POSTAL = r"^[0-9]{5}$"
CODE_POSTAL_ETRANGER = "99999"


def _valeurs(choices) -> list[str]:
    return [c.value for c in choices]


class QuestionnaireFSE(ContraintesEnUneRequete):
    """Les données d'entrée exigées par le FSE+, recueillies au premier entretien.

    Nom, prénom, date de naissance, sexe, adresse et contacts sont ceux de la fiche participant ;
    le questionnaire ajoute ce que la fiche n'a pas. Il peut être enregistré en plusieurs fois :
    `complet` dit si toutes les réponses exigées sont là, `champs_manquants()` lesquelles manquent.

    Un questionnaire par participation à une opération FSE+ (seed 001:L8016) : celui de
    l'engagement est rattaché à la première participation ; une nouvelle participation en reçoit
    une copie (`recopie_de`), dont seule la date d'entrée change d'office.
    """

    parcours = models.ForeignKey(
        "accompagnement.Parcours", on_delete=models.CASCADE, related_name="questionnaires_fse"
    )
    participation = models.OneToOneField(
        "accompagnement.ParticipationFse",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire",
        verbose_name="participation",
    )
    recopie_de = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="recopié du questionnaire",
    )
    commune_naissance = models.CharField(
        "commune de naissance", max_length=200, blank=True, validators=[texte_sur_une_ligne]
    )
    code_postal_naissance = models.CharField(
        "code postal de naissance",
        max_length=5,
        blank=True,
        help_text=f"{CODE_POSTAL_ETRANGER} pour une naissance à l'étranger.",
        validators=[texte_sur_une_ligne],
    )
    date_entree = models.DateField(
        "date d'entrée dans l'opération",
        null=True,
        blank=True,
        help_text="Peut précéder la saisie, jamais être postérieure à aujourd'hui.",
    )
    situation_marche_travail = models.CharField(
        "situation sur le marché du travail",
        max_length=20,
        choices=SituationMarcheTravail.choices,
        blank=True,
    )
    type_emploi = models.CharField(
        "type d'emploi occupé", max_length=20, choices=TypeEmploi.choices, blank=True
    )
    mois_recherche_emploi = models.PositiveSmallIntegerField(
        "durée de recherche d'emploi (en mois)", null=True, blank=True
    )
    niveau_diplome = models.PositiveSmallIntegerField(
        "niveau de diplôme (nomenclature nationale)",
        choices=NiveauQualification.choices,
        null=True,
        blank=True,
        help_text="Facultatif : la catégorie DGEFP ci-dessous est la réponse exigée.",
    )
    diplome_dgefp = models.CharField(
        "plus haut niveau de diplôme",
        max_length=2,
        choices=DiplomeDgefp.choices,
        blank=True,
        help_text="Catégorie du questionnaire DGEFP (question 2).",
    )
    handicap_reconnu = models.CharField(
        "reconnaissance officielle d'un handicap",
        max_length=3,
        choices=OuiNon.choices,
        blank=True,
    )
    minima_sociaux = models.CharField(
        "perception de minima sociaux", max_length=3, choices=OuiNon.choices, blank=True
    )
    sans_domicile = models.CharField(
        "sans domicile fixe ou exclusion du logement",
        max_length=3,
        choices=OuiNonNeSouhaitePas.choices,
        blank=True,
    )
    parent_ne_etranger = models.CharField(
        "un parent né à l'étranger",
        max_length=3,
        choices=OuiNonNeSouhaitePas.choices,
        blank=True,
    )
    renseigne_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="renseigné par",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Réponses qu'on peut enregistrer (le service refuse toute autre clé), dans l'ordre du
    # questionnaire, avec l'accord de « manquant(e) » dans les phrases de complétude.
    CHAMPS = {
        "commune_naissance": "f",
        "code_postal_naissance": "m",
        "date_entree": "f",
        "situation_marche_travail": "f",
        "type_emploi": "m",
        "mois_recherche_emploi": "f",
        "niveau_diplome": "m",
        "diplome_dgefp": "m",
        "handicap_reconnu": "f",
        "minima_sociaux": "f",
        "sans_domicile": "f",
        "parent_ne_etranger": "f",
    }
    CHAMPS_SANS_NSP = ("handicap_reconnu", "minima_sociaux")
    # Jamais exigés : le niveau national (la catégorie DGEFP est la réponse exigée).
    CHAMPS_FACULTATIFS = ("niveau_diplome",)

    class Meta:
        verbose_name = "questionnaire FSE+ d'entrée"
        verbose_name_plural = "questionnaires FSE+ d'entrée"
        indexes = [models.Index(fields=["updated_at"], name="questionnaire_modifie_le")]
        constraints = [
            # Un seul questionnaire hors participation par parcours : celui de l'engagement,
            # quand aucune opération d'accompagnement ne couvre encore la structure du référent.
            models.UniqueConstraint(
                fields=["parcours"],
                condition=Q(participation__isnull=True),
                name="questionnaire_engagement_unique",
            ),
            models.CheckConstraint(
                condition=Q(diplome_dgefp__in=["", *_valeurs(DiplomeDgefp)]),
                name="questionnaire_diplome_dgefp_connu",
            ),
            # « Ne souhaite pas répondre » : seulement sur les deux questions qui l'acceptent.
            models.CheckConstraint(
                condition=Q(handicap_reconnu__in=["", *_valeurs(OuiNon)])
                & Q(minima_sociaux__in=["", *_valeurs(OuiNon)]),
                name="questionnaire_oui_non_sans_nsp",
                violation_error_message=(
                    "« Ne souhaite pas répondre » n'est possible que pour les questions sur le "
                    "logement et sur les parents nés à l'étranger."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sans_domicile__in=["", *_valeurs(OuiNonNeSouhaitePas)])
                & Q(parent_ne_etranger__in=["", *_valeurs(OuiNonNeSouhaitePas)]),
                name="questionnaire_reponses_nsp_connues",
            ),
            models.CheckConstraint(
                condition=Q(situation_marche_travail__in=["", *_valeurs(SituationMarcheTravail)]),
                name="questionnaire_situation_connue",
            ),
            models.CheckConstraint(
                condition=Q(type_emploi="")
                | Q(
                    type_emploi__in=_valeurs(TypeEmploi),
                    situation_marche_travail=SituationMarcheTravail.EN_EMPLOI,
                ),
                name="questionnaire_type_emploi_si_en_emploi",
                violation_error_message=(
                    "Le type d'emploi ne se renseigne que pour une personne en emploi."
                ),
            ),
            models.CheckConstraint(
                condition=Q(mois_recherche_emploi__isnull=True)
                | Q(
                    situation_marche_travail=SituationMarcheTravail.DEMANDEUR_EMPLOI,
                    mois_recherche_emploi__lte=MOIS_RECHERCHE_MAX,
                ),
                name="questionnaire_mois_recherche_si_demandeur",
                violation_error_message=(
                    "La durée de recherche d'emploi ne se renseigne que pour une personne en "
                    "recherche active d'emploi."
                ),
            ),
            models.CheckConstraint(
                condition=Q(niveau_diplome__isnull=True)
                | Q(niveau_diplome__in=_valeurs(NiveauQualification)),
                name="questionnaire_niveau_connu",
            ),
            models.CheckConstraint(
                condition=Q(code_postal_naissance="") | Q(code_postal_naissance__regex=CODE_POSTAL),
                name="questionnaire_code_postal_5_chiffres",
                violation_error_message=(
                    "Le code postal de naissance compte 5 chiffres "
                    f"({CODE_POSTAL_ETRANGER} pour une naissance à l'étranger)."
                ),
            ),
        ]

    def __str__(self):
        if self.participation_id:
            return f"Questionnaire FSE+ de la participation {self.participation_id}"
        return f"Questionnaire FSE+ d'entrée du parcours {self.parcours_id}"

    @classmethod
    def libelle(cls, champ: str) -> str:
        return str(cls._meta.get_field(champ).verbose_name)

    def champs_exiges(self) -> list[str]:
        """Les réponses exigées, selon la situation déclarée (type d'emploi, mois de recherche)."""
        champs = [
            "commune_naissance",
            "code_postal_naissance",
            "date_entree",
            "situation_marche_travail",
        ]
        if self.situation_marche_travail == SituationMarcheTravail.EN_EMPLOI:
            champs.append("type_emploi")
        elif self.situation_marche_travail == SituationMarcheTravail.DEMANDEUR_EMPLOI:
            champs.append("mois_recherche_emploi")
        champs += [
            "diplome_dgefp",
            "handicap_reconnu",
            "minima_sociaux",
            "sans_domicile",
            "parent_ne_etranger",
        ]
        return champs

    def champs_manquants_codes(self) -> list[str]:
        return [c for c in self.champs_exiges() if getattr(self, c) in (None, "")]

    def champs_manquants(self) -> list[str]:
        """Les réponses manquantes, par leur libellé français."""
        return [self.libelle(c) for c in self.champs_manquants_codes()]

    @property
    def complet(self) -> bool:
        return not self.champs_manquants_codes()

    def clean_fields(self, exclude=None):
        # « Ne souhaite pas répondre » sur une question qui ne l'accepte pas : un message qui dit
        # pourquoi, plutôt que « choix invalide ».
        exclude = set(exclude or ())
        erreurs = {}
        for champ in self.CHAMPS_SANS_NSP:
            if champ not in exclude and getattr(self, champ) == NSP:
                erreurs[champ] = [
                    ValidationError(
                        f"« Ne souhaite pas répondre » n'est pas possible pour la question "
                        f"« {self.libelle(champ)} » : seules les questions sur le logement et sur "
                        "les parents nés à l'étranger l'acceptent.",
                        code="nsp_interdit",
                    )
                ]
                exclude.add(champ)
        for champ in self.CHAMPS:
            field = self._meta.get_field(champ)
            valeur = getattr(self, champ)
            if champ in exclude or not field.choices or valeur in field.empty_values:
                continue
            if valeur not in {v for v, _ in field.choices}:
                reponses = " ; ".join(str(libelle) for _, libelle in field.choices)
                erreurs[champ] = [
                    ValidationError(
                        f"« {valeur} » n'est pas une réponse possible à la question "
                        f"« {self.libelle(champ)} » (réponses : {reponses}).",
                        code="choix_invalide",
                    )
                ]
                exclude.add(champ)
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            erreurs = exc.update_error_dict(erreurs)
        if erreurs:
            raise ValidationError(erreurs)

    def clean(self):
        erreurs = {}
        aujourdhui = timezone.localdate()
        if self.date_entree and self.date_entree > aujourdhui:
            erreurs["date_entree"] = (
                "La date d'entrée dans l'opération ne peut pas être postérieure à aujourd'hui "
                f"({self.date_entree:%d/%m/%Y} > {aujourdhui:%d/%m/%Y})."
            )
        parcours = self.parcours if self.parcours_id else None
        naissance = parcours.participant.date_naissance if parcours else None
        if self.date_entree and naissance and self.date_entree < naissance:
            erreurs["date_entree"] = (
                "La date d'entrée dans l'opération ne peut pas précéder la date de naissance "
                f"({naissance:%d/%m/%Y})."
            )
        situation = self.situation_marche_travail
        if self.type_emploi and situation != SituationMarcheTravail.EN_EMPLOI:
            erreurs["type_emploi"] = (
                "Le type d'emploi ne se renseigne que pour une personne en emploi."
            )
        if (
            self.mois_recherche_emploi is not None
            and situation != SituationMarcheTravail.DEMANDEUR_EMPLOI
        ):
            erreurs["mois_recherche_emploi"] = (
                "La durée de recherche d'emploi ne se renseigne que pour une personne en "
                "recherche active d'emploi."
            )
        elif (self.mois_recherche_emploi or 0) > MOIS_RECHERCHE_MAX:
            erreurs["mois_recherche_emploi"] = (
                f"La durée de recherche d'emploi semble erronée ({self.mois_recherche_emploi} "
                f"mois, plus de {MOIS_RECHERCHE_MAX // 12} ans)."
            )
        if self.code_postal_naissance and not _code_postal_valide(self.code_postal_naissance):
            erreurs["code_postal_naissance"] = (
                "Le code postal de naissance compte 5 chiffres "
                f"({CODE_POSTAL_ETRANGER} pour une naissance à l'étranger)."
            )
        if erreurs:
            raise ValidationError(erreurs)


def _code_postal_valide(valeur: str) -> bool:
    return len(valeur) == 5 and valeur.isascii() and valeur.isdigit()
