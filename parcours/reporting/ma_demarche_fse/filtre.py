"""Les règles du contrôle préalable (`controle.py`) écrites en une condition SQL : la page du
contrôle ne lit plus que les participations en anomalie, une page à la fois, et les compte en
SQL (docs/PERFORMANCE.md, « contrôle des entrées »). Les textes restent ceux de `anomalie_de`,
appliquée aux seules lignes de la page ; un test vérifie que les deux disent la même chose."""

from django.db.models import CharField, F, Q, TextField
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from parcours.accompagnement.models import QuestionnaireFSE
from parcours.accompagnement.models.questionnaire import SituationMarcheTravail
from parcours.fse.enums import MotifFinParticipation
from parcours.participants.models import Participant
from parcours.reporting.ma_demarche_fse.controle import (
    AGE_MINIMUM,
    CHAMPS_FICHE_ENTREE,
    CHAMPS_FICHE_SORTIE,
    participations_a_exporter,
)

# Les réponses toujours exigées du questionnaire, et celles qu'exige une situation
# (`QuestionnaireFSE.champs_exiges`).
EXIGES = (
    "commune_naissance",
    "code_postal_naissance",
    "date_entree",
    "situation_marche_travail",
    "diplome_dgefp",
    "handicap_reconnu",
    "minima_sociaux",
    "sans_domicile",
    "parent_ne_etranger",
)
EXIGES_SELON_SITUATION = {
    SituationMarcheTravail.EN_EMPLOI: "type_emploi",
    SituationMarcheTravail.DEMANDEUR_EMPLOI: "mois_recherche_emploi",
}


def _vide(modele, prefixe: str, champ: str) -> Q:
    """`getattr(objet, champ) in (None, "")` en SQL."""
    condition = Q(**{f"{prefixe}{champ}__isnull": True})
    if isinstance(modele._meta.get_field(champ), CharField | TextField):
        condition |= Q(**{f"{prefixe}{champ}": ""})
    return condition


def _fiche(champs) -> Q:
    personne = "parcours__participant__"
    condition = Q(**{f"{personne}anonymise_le__isnull": False})
    for champ in champs:
        condition |= _vide(Participant, personne, champ)
    return condition


def _questionnaire() -> Q:
    q = "questionnaire__"
    condition = Q(questionnaire__isnull=True)
    for champ in EXIGES:
        condition |= _vide(QuestionnaireFSE, q, champ)
    for situation, champ in EXIGES_SELON_SITUATION.items():
        condition |= Q(questionnaire__situation_marche_travail=situation) & _vide(
            QuestionnaireFSE, q, champ
        )
    # Date d'entrée du questionnaire renseignée et différente (NULL ne vérifie ni < ni >).
    condition |= Q(questionnaire__date_entree__lt=F("date_entree"))
    condition |= Q(questionnaire__date_entree__gt=F("date_entree"))
    return condition


def _moins_de_l_age_minimum() -> Q:
    # L'âge de `_age` en entiers (années, puis mois et jour), pas un intervalle : même résultat
    # pour les naissances d'un 29 février. Sans date de naissance, NULL : pas d'anomalie.
    pas_encore = Q(entree_mois__lt=F("naissance_mois")) | Q(
        entree_mois=F("naissance_mois"), entree_jour__lt=F("naissance_jour")
    )
    return (Q(ecart_annees__lt=AGE_MINIMUM) & ~pas_encore) | (
        Q(ecart_annees__lt=AGE_MINIMUM + 1) & pas_encore
    )


def participations_en_anomalie(operation, periode, sorties: bool = False):
    """Les participations que `controler` signalerait, dans l'ordre du fichier, chargées comme
    pour l'export : une requête, sans rien lire des participations complètes."""
    qs = participations_a_exporter(operation, periode, sorties)
    if sorties:
        condition = _fiche(CHAMPS_FICHE_SORTIE) | Q(
            motif_fin=MotifFinParticipation.SORTIE, parcours__donnees_sortie_fse__isnull=True
        )
        if operation.fin:
            condition |= Q(date_sortie__gt=operation.fin)
        return qs.filter(condition)
    naissance = "parcours__participant__date_naissance"
    qs = qs.alias(
        entree_mois=ExtractMonth("date_entree"),
        entree_jour=ExtractDay("date_entree"),
        naissance_mois=ExtractMonth(naissance),
        naissance_jour=ExtractDay(naissance),
        ecart_annees=ExtractYear("date_entree") - ExtractYear(naissance),
    )
    condition = _fiche(CHAMPS_FICHE_ENTREE) | _questionnaire() | _moins_de_l_age_minimum()
    condition |= Q(date_entree__lt=operation.debut)
    if operation.fin:
        condition |= Q(date_entree__gt=operation.fin)
    return qs.filter(condition)
