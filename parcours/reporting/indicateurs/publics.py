"""Les publics suivis par les indicateurs (000:L469-479 ; 002:L445) : leur filtre sur un parcours
et leur répartition à l'entrée et à la sortie.

Sexe et âge viennent du participant ; RSA, RQTH, QPV des statuts déclarés à la prescription ;
le chômage de longue durée (DELD : 12 mois, DETLD : 24 mois) de la date « sans emploi depuis »
de la prescription, comparée à la date d'entrée (à défaut, de prescription) ; le niveau de
qualification, de la prescription (nomenclature nationale)."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from parcours.participants.enums import NiveauQualification, Sexe
from parcours.reporting.indicateurs.base import Filtres, Tableau, indicateur, parcours_filtres
from parcours.reporting.indicateurs.sql import ans_avant, mois_apres

PUBLICS = (
    ("femme", "Femmes"),
    ("homme", "Hommes"),
    ("jeune", "Moins de 26 ans à l'entrée"),
    ("senior", "50 ans et plus à l'entrée"),
    ("rsa", "Allocataires du RSA"),
    ("deld", "Demandeurs d'emploi de longue durée (12 mois et plus)"),
    ("detld", "Demandeurs d'emploi de très longue durée (24 mois et plus)"),
    ("rqth", "Travailleurs handicapés (RQTH)"),
    ("qpv", "Résidents d'un QPV"),
    ("infra_bac", "Niveau de qualification inférieur au bac (niveaux 1 à 3)"),
)

_STATUTS = {"rsa": ("rsa", "rsa_majore"), "rqth": ("rqth",), "qpv": ("qpv",)}
_MOIS_SANS_EMPLOI = {"deld": 12, "detld": 24}


def _reference():
    # L'âge et l'ancienneté du chômage se mesurent à l'entrée (à défaut, à la prescription).
    return Coalesce(F("date_entree"), F("date_prescription"))


def filtre_public(code: str, periode=None) -> Q:
    """Le Q sur Parcours qui garde le public `code` ; un code inconnu lève ValueError."""
    from parcours.accompagnement.models import StatutDeclare

    if code == "femme":
        return Q(participant__sexe=Sexe.FEMME)
    if code == "homme":
        return Q(participant__sexe=Sexe.HOMME)
    if code == "jeune":
        # Une borne sur la date de naissance comparée en SQL, sans fonction par ligne.
        return Q(participant__date_naissance__gt=ans_avant(_reference(), 26))
    if code == "senior":
        return Q(participant__date_naissance__lte=ans_avant(_reference(), 50))
    if code in _MOIS_SANS_EMPLOI:
        borne = mois_apres(_reference(), -_MOIS_SANS_EMPLOI[code])
        return Q(prescription__sans_emploi_depuis__lte=borne)
    if code == "infra_bac":
        return Q(prescription__niveau_qualification__lte=NiveauQualification.CAP_BEP)
    if code in _STATUTS:
        return Q(
            Exists(
                StatutDeclare.objects.filter(
                    prescription__parcours_id=OuterRef("pk"), code__in=_STATUTS[code]
                )
            )
        )
    raise ValueError(f"Public inconnu : « {code} ».")


DEFINITION_PUBLICS = (
    "Participants entrés dans la période (date d'entrée) et participants sortis dans la période "
    "(sortie validée), par public ; un participant compte dans chacun de ses publics. Âge et "
    "ancienneté du chômage mesurés à l'entrée ; niveau de qualification déclaré à la prescription."
)


def _condition(code: str) -> Q:
    """`filtre_public`, mais les statuts déclarés lus par une jointure faite une fois pour toute
    la requête : six `EXISTS` corrélés (RSA, RQTH, QPV à l'entrée et à la sortie) portaient le
    coût estimé au-delà du seuil de compilation JIT de PostgreSQL (300 ms de compilation pour
    5 200 participants, docs/PERFORMANCE.md)."""
    if code in _STATUTS:
        return Q(prescription__statuts__code__in=_STATUTS[code])
    return filtre_public(code)


@indicateur(
    "publics",
    "Publics à l'entrée et à la sortie",
    graphique="barres",
    definition=DEFINITION_PUBLICS,
    themes=("publics",),
)
def publics(filtres: Filtres) -> Tableau:
    p = filtres.periode
    entres = Q(date_entree__range=(p.du, p.au))
    sortis = Q(statut="sorti", date_sortie__range=(p.du, p.au))
    lignes_publics = [("tous", "Tous les participants", Q())]
    lignes_publics += [(code, libelle, _condition(code)) for code, libelle in PUBLICS]
    lignes_publics += [
        (f"niveau_{n.value}", n.label, Q(prescription__niveau_qualification=n.value))
        for n in NiveauQualification
    ]
    comptes = {}
    for code, _, q in lignes_publics:
        # DISTINCT : la jointure des statuts déclarés donne une ligne par statut du parcours.
        comptes[f"{code}_e"] = Count("id", filter=entres & q, distinct=True)
        comptes[f"{code}_s"] = Count("id", filter=sortis & q, distinct=True)
    # Seuls les parcours entrés ou sortis dans la période portent un compte : les autres ne sont
    # pas lus (les statuts déclarés sont sondés par parcours, pas pour tout le PLIE).
    valeurs = parcours_filtres(filtres).filter(entres | sortis).aggregate(**comptes)
    return Tableau(
        "publics",
        "Publics à l'entrée et à la sortie",
        ("Public", "À l'entrée", "À la sortie"),
        [(lib, valeurs[f"{code}_e"], valeurs[f"{code}_s"]) for code, lib, _ in lignes_publics],
        graphique="barres",
        definition=DEFINITION_PUBLICS,
    )
