"""Le moteur d'éligibilité (parcours/referentiel/sections/eligibilite/) et les critères des
cinq PLIE.

Chaque cas vérifie `eligible`, la valeur de CHAQUE critère rapporté (dans l'ordre du fichier) et
les phrases clés des explications. Les référentiels sont ceux du dépôt (referentiels/*.yaml).
"""

import copy
import datetime
import functools
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from parcours.referentiel.calendrier import mois_revolus
from parcours.referentiel.sections.eligibilite import (
    Critere,
    Evaluation,
    PersonneInvalide,
    evaluer,
    valider_personne,
)
from parcours.referentiel.sections.eligibilite.vocabulaire import FREINS, STATUTS
from parcours.referentiel.services import exporter_referentiel, importer_referentiel, lire_fichier
from parcours.referentiel.validation import ReferentielInvalide, valider

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"
PLIE = ("agenais", "bordeaux", "technowest", "flandre-lys", "dijon")
# Une commune de chaque PLIE, lue dans son fichier (aucun code saisi de mémoire).
COMMUNE = {
    "agenais": "47001",  # Agen
    "bordeaux": "33063",  # Bordeaux
    "technowest": "33281",  # Mérignac
    "flandre-lys": "59017",  # Armentières
    "dijon": "21231",  # Dijon
}
# Les codes rapportés, dans l'ordre du fichier (un groupe avant ses enfants).
CODES = {
    "agenais": [
        "eligibilite",
        "residence",
        "age-travail",
        "articulation-mission-locale",
        "age-25-plus",
        "non-suivi-mission-locale",
        "public-cible",
        "deld",
        "rsa",
        "senior",
        "qpv",
        "niveau-cap-bep",
        "freins",
    ],
    "bordeaux": [
        "eligibilite",
        "residence",
        "age-travail",
        "public-cible",
        "deld",
        "minima-sociaux",
        "qpv",
        "niveau-cap-bep",
        "cumul-freins",
        "freins-professionnels",
        "freins-sociaux",
    ],
    "technowest": [
        "eligibilite",
        "residence",
        "tranche-age",
        "age-24-plus",
        "jeune-bachelier",
        "age-18-23",
        "bac",
        "public-cible",
        "sans-activite-freins",
        "sans-activite-12-mois",
        "freins-professionnels",
        "faible-qualification",
        "freins-professionnels-declares",
        "freins-sociaux",
        "minima-sociaux",
    ],
    "flandre-lys": [
        "eligibilite",
        "residence",
        "age-travail",
        "adulte-ou-clause",
        "adulte-26-plus",
        "jeune-via-clause",
        "difficultes-acces-emploi",
        "rsa",
        "deld",
        "qpv",
        "rqth-valide",
        "public-clause",
        "freins",
    ],
    "dijon": [
        "eligibilite",
        "residence",
        "age-travail",
        "marche-du-travail",
        "qualification-insuffisante",
        "competences-inadaptees",
        "sans-activite-12-mois",
        "minima-sociaux",
        "situation-personnelle",
        "parent-isole",
        "situation-familiale",
        "mobilite-logement",
        "sante-handicap",
        "sante-ou-handicap",
        "frein-sante",
        "handicap",
        "non-suivi-cap-emploi",
        "sous-main-de-justice",
    ],
}


@functools.cache
def _contenu(code):
    chemin = REFERENTIELS / f"{code}.yaml"
    contenu = lire_fichier(chemin)
    valider(contenu, str(chemin), code_attendu=code)
    return contenu


def referentiel(code):
    return copy.deepcopy(_contenu(code))


def personne(plie="agenais", **champs):
    """Une personne « neutre » : adulte, en emploi, niveau bac+2, sans statut ni frein."""
    base = {
        "date": "2024-03-01",
        "date_naissance": "1980-05-17",
        "commune_insee": COMMUNE[plie],
        "sans_emploi_depuis": None,
        "statuts": [],
        "freins": [],
        "niveau_qualification": 5,
        "bac": True,
        "rqth_jusqu_au": None,
        "suivi_mission_locale": False,
        "suivi_cap_emploi": False,
        "via_clause": False,
    }
    base.update(champs)
    return base


def evaluer_plie(plie, **champs) -> Evaluation:
    evaluation = evaluer(referentiel(plie), personne(plie, **champs))
    assert [c.code for c in evaluation.criteres] == CODES[plie]
    return evaluation


def verdicts(evaluation):
    return {c.code: c.satisfait for c in evaluation.criteres}


def attendu(plie, vrais):
    inconnus = set(vrais) - set(CODES[plie])
    assert not inconnus, inconnus
    return {code: code in vrais for code in CODES[plie]}


def explication(evaluation, code):
    return evaluation.critere(code).explication


# --- Agenais (001:L302-376) -------------------------------------------------------------------


def test_agenais_exemple_de_l_issue():
    ev = evaluer_plie(
        "agenais",
        sans_emploi_depuis="2022-06-01",
        statuts=[{"code": "rsa", "depuis": "2022-01-01"}, {"code": "qpv"}],
        freins=["mobilite", "logement"],
        niveau_qualification=3,
        bac=False,
    )
    assert ev.eligible is True
    assert verdicts(ev) == attendu("agenais", set(CODES["agenais"]) - {"senior"})
    assert explication(ev, "residence") == "Réside à Agen (47001), commune du PLIE de l'Agenais"
    assert explication(ev, "deld") == (
        "Sans emploi depuis 21 mois (depuis le 01/06/2022) : DELD (≥ 12 mois) satisfait"
    )
    assert explication(ev, "rsa") == "Statut RSA depuis le 01/01/2022 (26 mois)"
    assert (
        explication(ev, "senior")
        == "À 43 ans au 01/03/2024 : hors de la tranche « 50 ans ou plus »"
    )
    assert explication(ev, "public-cible") == (
        "Public cible du PLIE de l'Agenais — satisfait par « DELD (≥ 12 mois) », « statut RSA "
        "ou RSA majoré », « statut QPV (quartier prioritaire) », « niveau de qualification 3 "
        "(CAP, BEP) ou moins », « au moins 1 frein »"
    )
    assert explication(ev, "eligibilite").startswith(
        "Éligibilité au PLIE de l'Agenais — satisfait : toutes les conditions sont remplies"
    )


AGENAIS_SANS_PUBLIC = {
    "residence",
    "age-travail",
    "articulation-mission-locale",
    "age-25-plus",
    "non-suivi-mission-locale",
}


def test_agenais_deld_exactement_12_mois():
    ev = evaluer_plie("agenais", sans_emploi_depuis="2023-03-01")
    assert ev.eligible is True
    assert verdicts(ev) == attendu(
        "agenais", AGENAIS_SANS_PUBLIC | {"eligibilite", "public-cible", "deld"}
    )
    assert explication(ev, "deld") == (
        "Sans emploi depuis 12 mois (depuis le 01/03/2023) : DELD (≥ 12 mois) satisfait"
    )


def test_agenais_11_mois_sans_emploi_ne_suffisent_pas():
    ev = evaluer_plie("agenais", sans_emploi_depuis="2023-03-02")
    assert ev.eligible is False
    assert verdicts(ev) == attendu("agenais", AGENAIS_SANS_PUBLIC)
    assert explication(ev, "deld") == (
        "Sans emploi depuis 11 mois (depuis le 02/03/2023) : DELD (≥ 12 mois) non satisfait"
    )
    assert explication(ev, "public-cible") == (
        "Public cible du PLIE de l'Agenais — non satisfait : aucune des conditions (« DELD "
        "(≥ 12 mois) », « statut RSA ou RSA majoré », « âge : 50 ans ou plus », « statut QPV "
        "(quartier prioritaire) », « niveau de qualification 3 (CAP, BEP) ou moins », « au "
        "moins 1 frein ») n'est remplie"
    )
    assert explication(ev, "eligibilite") == (
        "Éligibilité au PLIE de l'Agenais — non satisfait : condition(s) non remplie(s) : "
        "« Public cible du PLIE de l'Agenais »"
    )


def test_agenais_en_emploi():
    ev = evaluer_plie("agenais")
    assert ev.eligible is False
    assert explication(ev, "deld") == (
        "En emploi (pas de date « sans emploi depuis ») : DELD (≥ 12 mois) non satisfait"
    )


@pytest.mark.parametrize(
    ("naissance", "senior", "age"), [("1974-03-01", True, 50), ("1974-03-02", False, 49)]
)
def test_agenais_senior_a_50_ans_le_jour_anniversaire(naissance, senior, age):
    ev = evaluer_plie("agenais", date_naissance=naissance)
    assert ev.eligible is senior
    vrais = AGENAIS_SANS_PUBLIC | ({"eligibilite", "public-cible", "senior"} if senior else set())
    assert verdicts(ev) == attendu("agenais", vrais)
    assert explication(ev, "senior").startswith(f"À {age} ans au 01/03/2024 : ")


@pytest.mark.parametrize(
    ("naissance", "suivi_ml", "eligible"),
    [
        ("1999-03-02", True, False),  # 24 ans, suivi par la Mission locale : y reste
        ("1999-03-01", True, True),  # 25 ans : transfert possible (001:L302-304)
        ("1999-03-02", False, True),  # 24 ans, non suivi
    ],
)
def test_agenais_articulation_mission_locale(naissance, suivi_ml, eligible):
    ev = evaluer_plie(
        "agenais", date_naissance=naissance, suivi_mission_locale=suivi_ml, freins=["mobilite"]
    )
    assert ev.eligible is eligible
    v = verdicts(ev)
    assert v["articulation-mission-locale"] is eligible
    assert v["age-25-plus"] is (naissance == "1999-03-01")
    assert v["non-suivi-mission-locale"] is not suivi_ml
    if suivi_ml:
        assert explication(ev, "non-suivi-mission-locale") == (
            "Déjà suivi par la Mission locale : exclusivité, non satisfait"
        )


def test_agenais_hors_territoire():
    ev = evaluer_plie("agenais", commune_insee=COMMUNE["bordeaux"], sans_emploi_depuis="2020-01-01")
    assert ev.eligible is False
    assert verdicts(ev)["residence"] is False
    assert verdicts(ev)["public-cible"] is True
    assert explication(ev, "residence") == (
        "Réside dans la commune 33063, qui n'est pas une commune du PLIE de l'Agenais"
    )


def test_agenais_age_minimal_pour_travailler():
    ev = evaluer_plie("agenais", date_naissance="2008-03-02", freins=["logement"])
    assert ev.eligible is False
    assert verdicts(ev) == attendu(
        "agenais",
        {"residence", "articulation-mission-locale", "non-suivi-mission-locale"}
        | {"public-cible", "freins"},
    )
    assert explication(ev, "age-travail") == (
        "À 15 ans au 01/03/2024 : hors de la tranche « 16 ans ou plus »"
    )


# --- Bordeaux (001:L1473-1518) ----------------------------------------------------------------


def test_bordeaux_rsa_a_bordeaux():
    ev = evaluer_plie("bordeaux", statuts=[{"code": "rsa"}])
    assert ev.eligible is True
    assert verdicts(ev) == attendu(
        "bordeaux", {"eligibilite", "residence", "age-travail", "public-cible", "minima-sociaux"}
    )
    assert explication(ev, "residence") == "Réside à Bordeaux (33063), commune du PLIE de Bordeaux"


def test_bordeaux_seule_la_commune_de_bordeaux():
    ev = evaluer_plie("bordeaux", commune_insee=COMMUNE["technowest"], statuts=[{"code": "rsa"}])
    assert ev.eligible is False
    assert verdicts(ev) == attendu("bordeaux", {"age-travail", "public-cible", "minima-sociaux"})


def test_bordeaux_ass_est_un_minimum_social():
    ev = evaluer_plie("bordeaux", statuts=[{"code": "ass", "depuis": "2023-01-01"}])
    assert ev.eligible is True
    assert explication(ev, "minima-sociaux") == "Statut ASS depuis le 01/01/2023 (14 mois)"


@pytest.mark.parametrize(
    ("freins", "eligible"),
    [(["experience"], False), (["logement"], False), (["experience", "logement"], True)],
)
def test_bordeaux_cumul_de_freins_professionnels_et_sociaux(freins, eligible):
    ev = evaluer_plie("bordeaux", freins=freins)
    assert ev.eligible is eligible
    vrais = {"residence", "age-travail"}
    vrais |= {"freins-professionnels"} if "experience" in freins else set()
    vrais |= {"freins-sociaux"} if "logement" in freins else set()
    vrais |= {"eligibilite", "public-cible", "cumul-freins"} if eligible else set()
    assert verdicts(ev) == attendu("bordeaux", vrais)
    if not eligible and "experience" in freins:
        assert explication(ev, "freins-sociaux") == (
            "Aucun de ces freins déclaré : au moins 1 frein parmi mobilité, logement, santé, "
            "garde d'enfants, situation familiale, justice exigé, non satisfait"
        )
        assert explication(ev, "cumul-freins") == (
            "Cumul de freins professionnels et sociaux — non satisfait : condition(s) non "
            "remplie(s) : « au moins 1 frein parmi mobilité, logement, santé, garde d'enfants, "
            "situation familiale, justice »"
        )


# --- Technowest (001:L2512-2572) --------------------------------------------------------------

TECHNOWEST_PUBLIC = {
    "public-cible",
    "sans-activite-freins",
    "sans-activite-12-mois",
    "freins-professionnels",
    "freins-professionnels-declares",
    "freins-sociaux",
}


def technowest(naissance, bac, **champs):
    champs.setdefault("sans_emploi_depuis", "2023-03-01")
    champs.setdefault("freins", ["experience", "mobilite"])
    champs.setdefault("niveau_qualification", 4 if bac else 3)
    return evaluer_plie("technowest", date_naissance=naissance, bac=bac, **champs)


def test_technowest_23_ans_avec_bac():
    ev = technowest("2000-05-17", True)
    assert ev.eligible is True
    assert verdicts(ev) == attendu(
        "technowest",
        TECHNOWEST_PUBLIC
        | {"eligibilite", "residence", "tranche-age", "jeune-bachelier", "age-18-23", "bac"},
    )
    assert explication(ev, "tranche-age").endswith(
        "satisfait par « Jeune de 18 à 23 ans : la tranche 18-24 ans exige le bac »"
    )


def test_technowest_23_ans_sans_bac():
    ev = technowest("2000-05-17", False)
    assert ev.eligible is False
    assert verdicts(ev) == attendu(
        "technowest",
        TECHNOWEST_PUBLIC | {"residence", "age-18-23", "faible-qualification"},
    )
    assert explication(ev, "age-18-23") == (
        "À 23 ans au 01/03/2024 : dans la tranche « 18 à 23 ans »"
    )
    assert explication(ev, "bac") == "Bac non obtenu : le bac est exigé, non satisfait"
    assert explication(ev, "jeune-bachelier") == (
        "Jeune de 18 à 23 ans : la tranche 18-24 ans exige le bac — non satisfait : "
        "condition(s) non remplie(s) : « bac obtenu »"
    )
    assert explication(ev, "eligibilite").endswith(
        "condition(s) non remplie(s) : « Tranche d'âge (18-23 ans : bac exigé ; 24 ans et plus : "
        "tout niveau) »"
    )


@pytest.mark.parametrize("bac", [False, True])
def test_technowest_24_ans_tout_niveau(bac):
    ev = technowest("2000-03-01", bac)  # 24 ans le jour même
    assert ev.eligible is True
    vrais = TECHNOWEST_PUBLIC | {"eligibilite", "residence", "tranche-age", "age-24-plus"}
    vrais |= {"bac"} if bac else {"faible-qualification"}
    assert verdicts(ev) == attendu("technowest", vrais)
    assert explication(ev, "age-24-plus") == (
        "À 24 ans au 01/03/2024 : dans la tranche « 24 ans ou plus »"
    )


def test_technowest_la_veille_des_24_ans_le_bac_est_exige():
    assert technowest("2000-03-02", False).eligible is False
    assert technowest("2000-03-02", True).eligible is True


def test_technowest_moins_de_18_ans():
    ev = technowest("2006-03-02", True)
    assert ev.eligible is False
    assert verdicts(ev)["tranche-age"] is False
    assert explication(ev, "age-18-23") == (
        "À 17 ans au 01/03/2024 : hors de la tranche « 18 à 23 ans »"
    )


def test_technowest_minima_sociaux_sans_autre_condition():
    ev = evaluer_plie("technowest", statuts=[{"code": "rsa_majore", "depuis": "2023-09-15"}])
    assert ev.eligible is True
    assert verdicts(ev) == attendu(
        "technowest",
        {"eligibilite", "residence", "tranche-age", "age-24-plus", "bac", "public-cible"}
        | {"minima-sociaux"},
    )
    assert explication(ev, "minima-sociaux") == "Statut RSA majoré depuis le 15/09/2023 (5 mois)"


def test_technowest_sans_frein_social():
    ev = technowest("1980-05-17", False, freins=["experience"])
    assert ev.eligible is False
    v = verdicts(ev)
    assert v["freins-professionnels"] is True
    assert v["freins-sociaux"] is False
    assert v["sans-activite-freins"] is False


def test_technowest_commune_du_facilitateur_hors_plie():
    ev = technowest("1980-05-17", False, commune_insee=COMMUNE["bordeaux"])
    assert ev.eligible is False
    assert explication(ev, "residence") == (
        "Réside dans la commune 33063, qui n'est pas une commune du PLIE Espace Technowest"
    )


# --- Flandre Lys (002:L53-82, L225-238) -------------------------------------------------------


@pytest.mark.parametrize(
    ("fin", "eligible", "phrase"),
    [
        (
            "2024-03-01",
            True,
            "RQTH valable jusqu'au 01/03/2024 : en cours de validité au 01/03/2024",
        ),
        (
            "2024-03-02",
            True,
            "RQTH valable jusqu'au 02/03/2024 : en cours de validité au 01/03/2024",
        ),
        ("2024-02-29", False, "RQTH valable jusqu'au 29/02/2024 : expirée au 01/03/2024"),
    ],
)
def test_flandre_rqth_en_cours_de_validite(fin, eligible, phrase):
    ev = evaluer_plie("flandre-lys", statuts=[{"code": "rqth"}], rqth_jusqu_au=fin)
    assert ev.eligible is eligible
    vrais = {"residence", "age-travail", "adulte-ou-clause", "adulte-26-plus"}
    vrais |= {"eligibilite", "difficultes-acces-emploi", "rqth-valide"} if eligible else set()
    assert verdicts(ev) == attendu("flandre-lys", vrais)
    assert explication(ev, "rqth-valide") == phrase


def test_flandre_moins_de_26_ans_via_la_clause():
    ev = evaluer_plie("flandre-lys", date_naissance="2001-05-17", via_clause=True)
    assert ev.eligible is True
    assert verdicts(ev) == attendu(
        "flandre-lys",
        {"eligibilite", "residence", "age-travail", "adulte-ou-clause", "jeune-via-clause"}
        | {"difficultes-acces-emploi", "public-clause"},
    )
    assert explication(ev, "adulte-ou-clause") == (
        "Adulte de 26 ans ou plus, ou jeune entrant par la clause sociale — satisfait par "
        "« orientation au titre d'une clause sociale »"
    )


def test_flandre_moins_de_26_ans_hors_clause():
    ev = evaluer_plie(
        "flandre-lys", date_naissance="2001-05-17", statuts=[{"code": "rsa"}], freins=["sante"]
    )
    assert ev.eligible is False
    assert verdicts(ev) == attendu(
        "flandre-lys",
        {"residence", "age-travail", "difficultes-acces-emploi", "rsa", "freins"},
    )
    assert explication(ev, "adulte-26-plus") == (
        "À 22 ans au 01/03/2024 : hors de la tranche « 26 ans ou plus »"
    )
    assert explication(ev, "jeune-via-clause") == (
        "Pas orienté au titre d'une clause sociale d'insertion"
    )


@pytest.mark.parametrize(("naissance", "eligible"), [("1998-03-01", True), ("1998-03-02", False)])
def test_flandre_26_ans_le_jour_anniversaire(naissance, eligible):
    ev = evaluer_plie("flandre-lys", date_naissance=naissance, statuts=[{"code": "rsa"}])
    assert ev.eligible is eligible
    assert verdicts(ev)["adulte-26-plus"] is eligible


def test_flandre_nomme_le_territoire():
    ev = evaluer_plie("flandre-lys", commune_insee="59295", sans_emploi_depuis="2021-01-01")
    assert ev.eligible is True
    assert explication(ev, "residence") == (
        "Réside à Hazebrouck (59295), commune du PLIE de Flandre Lys "
        "(territoire Communauté de communes de Flandre Intérieure)"
    )


def test_flandre_sans_difficulte_reconnue():
    ev = evaluer_plie("flandre-lys")
    assert ev.eligible is False
    assert explication(ev, "freins") == (
        "Aucun frein déclaré : au moins 1 frein exigé, non satisfait"
    )


# --- Dijon (003:L107-121) : un ET de deux OU --------------------------------------------------

DIJON_BASE = {"residence", "age-travail", "non-suivi-cap-emploi"}


def test_dijon_les_deux_colonnes():
    ev = evaluer_plie("dijon", sans_emploi_depuis="2022-01-01", freins=["mobilite"])
    assert ev.eligible is True
    assert verdicts(ev) == attendu(
        "dijon",
        DIJON_BASE
        | {"eligibilite", "marche-du-travail", "sans-activite-12-mois"}
        | {"situation-personnelle", "mobilite-logement"},
    )
    assert explication(ev, "marche-du-travail") == (
        "Situation sur le marché du travail — satisfait par « DELD (≥ 12 mois) »"
    )


def test_dijon_colonne_marche_du_travail_seule():
    ev = evaluer_plie("dijon", sans_emploi_depuis="2022-01-01")
    assert ev.eligible is False
    assert verdicts(ev) == attendu(
        "dijon", DIJON_BASE | {"marche-du-travail", "sans-activite-12-mois"}
    )
    assert explication(ev, "eligibilite") == (
        "Éligibilité au PLIE de Dijon Métropole — non satisfait : condition(s) non remplie(s) : "
        "« Situation personnelle »"
    )
    assert explication(ev, "situation-personnelle") == (
        "Situation personnelle — non satisfait : aucune des conditions (« statut parent "
        "isolé », « au moins 1 frein parmi situation familiale », « au moins 1 frein parmi "
        "mobilité, logement », « Santé ou handicap, sans accompagnement par Cap emploi », "
        "« statut PPSMJ (sous main de justice) ») n'est remplie"
    )


def test_dijon_colonne_situation_personnelle_seule():
    ev = evaluer_plie("dijon", freins=["logement"])
    assert ev.eligible is False
    assert verdicts(ev) == attendu(
        "dijon", DIJON_BASE | {"situation-personnelle", "mobilite-logement"}
    )
    assert explication(ev, "eligibilite").endswith(
        "condition(s) non remplie(s) : « Situation sur le marché du travail »"
    )
    assert explication(ev, "qualification-insuffisante") == (
        "Niveau de qualification 5 (bac+2) : niveau 3 ou moins exigé, non satisfait"
    )


@pytest.mark.parametrize("cap_emploi", [False, True])
def test_dijon_sante_sans_accompagnement_cap_emploi(cap_emploi):
    ev = evaluer_plie(
        "dijon", statuts=[{"code": "rsa"}], freins=["sante"], suivi_cap_emploi=cap_emploi
    )
    assert ev.eligible is not cap_emploi
    vrais = {"residence", "age-travail", "marche-du-travail", "minima-sociaux"}
    vrais |= {"sante-ou-handicap", "frein-sante"}
    if not cap_emploi:
        vrais |= {"eligibilite", "situation-personnelle", "sante-handicap", "non-suivi-cap-emploi"}
    assert verdicts(ev) == attendu("dijon", vrais)
    if cap_emploi:
        assert explication(ev, "non-suivi-cap-emploi") == (
            "Déjà suivi par Cap emploi : exclusivité, non satisfait"
        )


def test_dijon_parent_isole_peu_qualifie():
    ev = evaluer_plie("dijon", statuts=[{"code": "parent_isole"}], niveau_qualification=3)
    assert ev.eligible is True
    assert verdicts(ev) == attendu(
        "dijon",
        DIJON_BASE
        | {"eligibilite", "marche-du-travail", "qualification-insuffisante"}
        | {"situation-personnelle", "parent-isole"},
    )


# --- Le moteur sur des arbres construits pour le test -----------------------------------------


def minimal(criteres):
    return {
        "format": 1,
        "plie": {"code": "essai", "nom": "PLIE d'essai"},
        "version": {"date_effet": "2024-01-01"},
        "territoires": [
            {"code": "nord", "nom": "Nord", "communes": [{"insee": "47001", "nom": "Agen"}]}
        ],
        "commissions": {
            "entree": {"nom": "comité", "cadence_par_an": 12},
            "sortie": {"nom": "comité", "cadence_par_an": 12},
        },
        "portefeuille": {"plafond_par_referent": 80},
        "eligibilite": {"criteres": criteres},
    }


def evaluer_arbre(criteres, **champs):
    contenu = minimal(criteres)
    valider(contenu, "essai.yaml")
    return evaluer(contenu, personne(**champs))


def test_non_inverse_et_explique():
    arbre = {
        "code": "racine",
        "tous": [
            {"code": "residence", "type": "residence"},
            {
                "code": "pas-ml",
                "libelle": "Hors Mission locale",
                "non": {"code": "ml", "type": "via_clause"},
            },
        ],
    }
    ev = evaluer_arbre(arbre)
    assert ev.eligible is True
    assert verdicts(ev) == {"racine": True, "residence": True, "pas-ml": True, "ml": False}
    assert (
        explication(ev, "pas-ml") == "Hors Mission locale — satisfait : « orientation au titre "
        "d'une clause sociale » n'est pas satisfait"
    )
    assert explication(ev, "racine") == (
        "Toutes les conditions — satisfait : toutes les conditions sont remplies "
        "(« résidence dans une commune du PLIE », « Hors Mission locale »)"
    )
    ev = evaluer_arbre(arbre, via_clause=True)
    assert ev.eligible is False
    assert explication(ev, "pas-ml") == (
        "Hors Mission locale — non satisfait : « orientation au titre d'une clause sociale » est "
        "satisfait"
    )


def test_tous_les_noeuds_sont_rapportes_meme_quand_le_groupe_est_acquis():
    arbre = {
        "code": "un",
        "un_parmi": [
            {"code": "residence", "type": "residence"},
            {"code": "g", "tous": [{"code": "clause", "type": "via_clause"}]},
        ],
    }
    ev = evaluer_arbre(arbre)
    assert [(c.code, c.satisfait) for c in ev.criteres] == [
        ("un", True),
        ("residence", True),
        ("g", False),
        ("clause", False),
    ]
    assert explication(ev, "un") == (
        "Au moins une des conditions — satisfait par « résidence dans une commune du PLIE »"
    )


@pytest.mark.parametrize(
    ("depuis", "satisfait", "phrase"),
    [
        (
            "2023-03-01",
            True,
            "Statut RSA depuis le 01/03/2023 (12 mois) : au moins 12 mois exigés, satisfait",
        ),
        (
            "2023-03-02",
            False,
            "Statut RSA depuis le 02/03/2023 (11 mois) : au moins 12 mois exigés, non satisfait",
        ),
        (
            None,
            False,
            "Statut RSA, date de début non renseignée : ancienneté d'au moins 12 mois "
            "non vérifiable",
        ),
    ],
)
def test_statut_avec_anciennete(depuis, satisfait, phrase):
    arbre = {"code": "rsa", "type": "statut", "statuts": ["rsa"], "depuis_mois_min": 12}
    ev = evaluer_arbre(arbre, statuts=[{"code": "rsa", "depuis": depuis}])
    assert ev.eligible is satisfait
    assert ev.criteres == [Critere("rsa", satisfait, phrase)]


def test_statut_absent():
    arbre = {
        "code": "g",
        "tous": [
            {"code": "un", "type": "statut", "statuts": ["parent_isole"]},
            {"code": "plusieurs", "type": "statut", "statuts": ["rsa", "ass"]},
        ],
    }
    ev = evaluer_arbre(arbre)
    assert explication(ev, "un") == "Pas de statut parent isolé"
    assert explication(ev, "plusieurs") == "Aucun des statuts RSA, ASS"


@pytest.mark.parametrize(
    ("bac", "attendu_", "satisfait", "phrase"),
    [
        (False, False, True, "Bac non obtenu : l'absence de bac est exigée, satisfait"),
        (True, False, False, "Bac obtenu : l'absence de bac est exigée, non satisfait"),
        (True, True, True, "Bac obtenu : le bac est exigé, satisfait"),
        (None, True, False, "Bac non renseigné : le bac est exigé, non vérifiable"),
    ],
)
def test_bac(bac, attendu_, satisfait, phrase):
    ev = evaluer_arbre({"code": "bac", "type": "bac", "attendu": attendu_}, bac=bac)
    assert ev.criteres == [Critere("bac", satisfait, phrase)]


def test_rqth_sans_date_de_fin():
    arbre = {"code": "rqth", "type": "rqth_valide"}
    ev = evaluer_arbre(arbre, statuts=[{"code": "rqth"}])
    assert ev.criteres == [
        Critere(
            "rqth",
            False,
            "RQTH déclarée sans date de fin de validité (rqth_jusqu_au) : validité non vérifiable",
        )
    ]
    assert evaluer_arbre(arbre).criteres == [Critere("rqth", False, "Pas de RQTH")]


def test_donnees_non_renseignees():
    arbre = {
        "code": "g",
        "un_parmi": [
            {"code": "residence", "type": "residence"},
            {"code": "niveau", "type": "niveau_qualification_max", "max": 3},
            {"code": "jeune", "type": "age", "max": 25},
            {"code": "deux-freins", "type": "freins", "au_moins": 2},
        ],
    }
    ev = evaluer_arbre(arbre, commune_insee=None, niveau_qualification=None, freins=["sante"])
    assert ev.eligible is False
    assert explication(ev, "residence") == (
        "Commune de résidence non renseignée : il faut résider dans une commune du PLIE d'essai"
    )
    assert explication(ev, "niveau") == (
        "Niveau de qualification non renseigné : niveau 3 ou moins exigé, non vérifiable"
    )
    assert (
        explication(ev, "jeune")
        == "À 43 ans au 01/03/2024 : hors de la tranche « 25 ans ou moins »"
    )
    assert explication(ev, "deux-freins") == "Frein santé : au moins 2 freins exigés, non satisfait"
    # Une chaîne vide vaut « non renseignée » (champ vide d'un formulaire).
    assert evaluer_arbre(arbre, commune_insee="").critere("residence").satisfait is False


def test_un_seul_territoire_n_est_pas_nomme():
    ev = evaluer_arbre({"code": "residence", "type": "residence"})
    assert ev.criteres == [
        Critere("residence", True, "Réside à Agen (47001), commune du PLIE d'essai")
    ]


def test_as_json_exact():
    ev = evaluer_arbre({"code": "clause", "type": "via_clause"}, via_clause=True)
    assert ev.as_json() == {
        "eligible": True,
        "criteres": [
            {
                "code": "clause",
                "satisfait": True,
                "explication": "Orienté au titre d'une clause sociale d'insertion",
            }
        ],
    }


def test_evaluation_est_immuable():
    ev = evaluer_arbre({"code": "clause", "type": "via_clause"})
    with pytest.raises(AttributeError):
        ev.eligible = True  # type: ignore[misc]
    with pytest.raises(KeyError):
        ev.critere("absent")


def test_evaluer_sans_section_eligibilite():
    contenu = minimal({"code": "clause", "type": "via_clause"})
    del contenu["eligibilite"]
    with pytest.raises(ReferentielInvalide, match="eligibilite: section absente"):
        evaluer(contenu, personne())


def test_evaluer_refuse_un_arbre_mal_forme():
    contenu = minimal({"code": "x", "type": "inconnu"})
    with pytest.raises(ReferentielInvalide, match=r"eligibilite\.criteres\.type: type de critère"):
        evaluer(contenu, personne())


def test_evaluer_refuse_une_personne_mal_formee():
    with pytest.raises(PersonneInvalide, match=r"^statuts\[0\]\.code: code de statut inconnu"):
        evaluer(referentiel("agenais"), personne(statuts=[{"code": "rsaa"}]))


@pytest.mark.parametrize(
    ("debut", "fin", "mois"),
    [
        ("2023-03-01", "2024-03-01", 12),
        ("2023-03-02", "2024-03-01", 11),
        # Fin de mois : le 31/01 plus un mois est le 29/02 (relativedelta) : 1 mois révolu.
        ("2024-01-31", "2024-02-29", 1),
        ("2024-01-31", "2024-02-28", 0),
        ("2024-01-31", "2024-03-31", 2),
        ("2000-02-29", "2024-02-29", 288),
    ],
)
def test_mois_revolus(debut, fin, mois):
    assert (
        mois_revolus(datetime.date.fromisoformat(debut), datetime.date.fromisoformat(fin)) == mois
    )


@pytest.mark.parametrize("plie", PLIE)
def test_pur_et_deterministe(plie):
    contenu = referentiel(plie)
    avant_contenu = copy.deepcopy(contenu)
    situation = personne(plie, statuts=[{"code": "rsa", "depuis": "2020-01-01"}], freins=["sante"])
    avant_situation = copy.deepcopy(situation)
    premiere = evaluer(contenu, situation)
    assert evaluer(contenu, situation) == premiere
    assert contenu == avant_contenu
    assert situation == avant_situation


# --- La personne (format d'entrée, issue 3 item 3) --------------------------------------------


@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"date": "01/03/2024"}, "date: une date AAAA-MM-JJ est attendue, reçu « 01/03/2024 »"),
        ({"date": "20240301"}, "date: une date AAAA-MM-JJ est attendue"),
        ({"date_naissance": "1980-02-30"}, "date_naissance: date inexistante « 1980-02-30 »"),
        (
            {"date_naissance": "2025-01-01"},
            "date_naissance: le 01/01/2025 est postérieur à la date d'évaluation (01/03/2024)",
        ),
        ({"sans_emploi_depuis": "2024-03-02"}, "sans_emploi_depuis: le 02/03/2024 est postérieur"),
        ({"sans_emploi_depuis": 2022}, "sans_emploi_depuis: une date AAAA-MM-JJ ou null"),
        ({"rqth_jusqu_au": "bientôt"}, "rqth_jusqu_au: une date AAAA-MM-JJ ou null"),
        (
            {"statuts": [{"code": "rsa"}, {"code": "rsaa"}]},
            "statuts[1].code: code de statut inconnu « rsaa » (codes connus : rsa, rsa_majore",
        ),
        ({"statuts": [{"depuis": "2020-01-01"}]}, "statuts[0].code: champ obligatoire absent"),
        ({"statuts": ["rsa"]}, 'statuts[0]: un objet {"code": …, "depuis": …} est attendu'),
        ({"statuts": [{"code": "rsa", "fin": "2025-01-01"}]}, "statuts[0].fin: champ inconnu"),
        (
            {"statuts": [{"code": "rsa"}, {"code": "rsa"}]},
            "statuts[1].code: statut « rsa » déjà donné en statuts[0]",
        ),
        (
            {"statuts": [{"code": "qpv", "depuis": "2030-01-01"}]},
            "statuts[0].depuis: le 01/01/2030 est postérieur",
        ),
        ({"statuts": "rsa"}, "statuts: une liste est attendue, reçu « rsa »"),
        ({"freins": ["mobilite", "transport"]}, "freins[1]: code de frein inconnu « transport »"),
        ({"freins": ["sante", "sante"]}, "freins[1]: frein « sante » déjà donné en freins[0]"),
        ({"commune_insee": "4700"}, "commune_insee: « 4700 » n'est pas un code INSEE"),
        ({"commune_insee": 47001}, "commune_insee: 47001 n'est pas un code INSEE"),
        ({"niveau_qualification": 9}, "niveau_qualification: un niveau entier de 1 à 8"),
        ({"niveau_qualification": "3"}, "niveau_qualification: un niveau entier de 1 à 8"),
        ({"bac": "non"}, "bac: true ou false (ou null) est attendu, reçu « non »"),
        ({"via_clause": None}, "via_clause: true ou false est attendu, reçu null"),
        ({"suivi_cap_emploi": 0}, "suivi_cap_emploi: true ou false est attendu, reçu 0"),
        ({"age": 43}, "age: champ inconnu (champs attendus : date, date_naissance"),
    ],
)
def test_personne_invalide_nomme_le_champ(changement, message):
    with pytest.raises(PersonneInvalide) as exc:
        valider_personne(personne(**changement))
    assert str(exc.value).startswith(message)
    assert "\n" not in str(exc.value)
    assert exc.value.champ == message.split(":")[0]


@pytest.mark.parametrize("champ", ["date", "bac", "statuts", "via_clause"])
def test_personne_champ_absent(champ):
    donnees = personne()
    del donnees[champ]
    with pytest.raises(PersonneInvalide, match=rf"^{champ}: champ obligatoire absent$"):
        valider_personne(donnees)


def test_personne_pas_un_objet():
    with pytest.raises(PersonneInvalide, match=r"^\(racine\): un objet JSON \{…\} est attendu"):
        valider_personne(["date", "2024-03-01"])


def test_personne_normalisee():
    normale = valider_personne(
        personne(
            statuts=[{"code": "rsa", "depuis": "2022-01-01"}, {"code": "qpv"}],
            rqth_jusqu_au="2026-01-01",
        )
    )
    assert normale["date"] == datetime.date(2024, 3, 1)
    assert normale["statuts"] == [
        {"code": "rsa", "depuis": datetime.date(2022, 1, 1)},
        {"code": "qpv", "depuis": None},
    ]
    assert normale["rqth_jusqu_au"] == datetime.date(2026, 1, 1)
    # Idempotente : une personne déjà normalisée (dates Python) est acceptée telle quelle.
    assert valider_personne(normale) == normale


# --- La section `eligibilite` du référentiel (sections/eligibilite/arbre.py) ------------------


def erreurs_arbre(criteres):
    with pytest.raises(ReferentielInvalide) as exc:
        valider(minimal(criteres), "essai.yaml")
    return str(exc.value).splitlines()


RESIDENCE = {"code": "residence", "type": "residence"}


@pytest.mark.parametrize(
    ("criteres", "attendue"),
    [
        (
            {"code": "g", "tous": [RESIDENCE, {"code": "x", "type": "residance"}]},
            "essai.yaml: eligibilite.criteres.tous[1].type: type de critère inconnu « residance » "
            "(types connus : residence, age,",
        ),
        (
            {"code": "g", "tous": [{"type": "residence"}]},
            "essai.yaml: eligibilite.criteres.tous[0].code: clé obligatoire absente",
        ),
        (
            {"code": "g", "tous": [{"type": "inconnu"}]},
            "essai.yaml: eligibilite.criteres.tous[0].code: clé obligatoire absente",
        ),
        (
            {"code": "g", "un_parmi": [RESIDENCE, {"code": "h", "tous": [RESIDENCE]}]},
            "essai.yaml: eligibilite.criteres.un_parmi[1].tous[0].code: code « residence » déjà "
            "utilisé par eligibilite.criteres.un_parmi[0]",
        ),
        (
            {"tous": [RESIDENCE]},
            "essai.yaml: eligibilite.criteres.code: clé obligatoire absente",
        ),
        (
            {"code": "Majuscules", "tous": [RESIDENCE]},
            "essai.yaml: eligibilite.criteres.code: code en minuscules",
        ),
        (
            {"code": "age", "type": "age", "min": 30, "max": 25},
            "essai.yaml: eligibilite.criteres.max: bornes incohérentes : max (25) est inférieur "
            "à min (30)",
        ),
        (
            {"code": "age", "type": "age"},
            "essai.yaml: eligibilite.criteres: au moins une borne « min » ou « max »",
        ),
        (
            {"code": "age", "type": "age", "min": -1},
            "essai.yaml: eligibilite.criteres.min: doit être supérieur ou égal à 0",
        ),
        (
            {"code": "age", "type": "age", "min": "18"},
            "essai.yaml: eligibilite.criteres.min: un nombre entier est attendu",
        ),
        (
            {"code": "age", "type": "age", "minimum": 18},
            "essai.yaml: eligibilite.criteres.minimum: clé inconnue",
        ),
        (
            {"code": "d", "type": "chomage_longue_duree"},
            "essai.yaml: eligibilite.criteres.mois_min: clé obligatoire absente",
        ),
        (
            {"code": "d", "type": "chomage_longue_duree", "mois_min": 0},
            "essai.yaml: eligibilite.criteres.mois_min: doit être supérieur ou égal à 1",
        ),
        (
            {"code": "s", "type": "statut", "statuts": ["rsa", "rsaa"]},
            "essai.yaml: eligibilite.criteres.statuts[1]: code de statut inconnu « rsaa »",
        ),
        (
            {"code": "s", "type": "statut", "statuts": []},
            "essai.yaml: eligibilite.criteres.statuts: une liste non vide de codes de statut",
        ),
        (
            {"code": "s", "type": "statut", "statuts": ["rsa", "rsa"]},
            "essai.yaml: eligibilite.criteres.statuts[1]: « rsa » déjà listé en "
            "eligibilite.criteres.statuts[0]",
        ),
        (
            {"code": "n", "type": "niveau_qualification_max", "max": 9},
            "essai.yaml: eligibilite.criteres.max: doit être inférieur ou égal à 8",
        ),
        (
            {"code": "b", "type": "bac", "attendu": "oui"},
            "essai.yaml: eligibilite.criteres.attendu: true ou false est attendu",
        ),
        (
            {"code": "m", "type": "non_suivi", "par": "pole_emploi"},
            "essai.yaml: eligibilite.criteres.par: « pole_emploi » inconnu (attendu : "
            "mission_locale ou cap_emploi)",
        ),
        (
            {"code": "f", "type": "freins", "parmi": ["sante", "transport"]},
            "essai.yaml: eligibilite.criteres.parmi[1]: code de frein inconnu « transport »",
        ),
        (
            {"code": "f", "type": "freins", "parmi": ["sante", "logement"], "au_moins": 3},
            "essai.yaml: eligibilite.criteres.au_moins: bornes incohérentes : au moins 3 freins "
            "exigés parmi 2",
        ),
        (
            {"code": "g", "tous": []},
            "essai.yaml: eligibilite.criteres.tous: une liste non vide de critères ou de groupes",
        ),
        (
            {"code": "g", "type": "residence", "tous": [RESIDENCE]},
            "essai.yaml: eligibilite.criteres: un nœud est soit un critère (type), soit un seul "
            "groupe (tous, un_parmi, non) : type, tous ensemble",
        ),
        (
            {"code": "g", "ou": [RESIDENCE]},
            "essai.yaml: eligibilite.criteres: ni critère (clé « type ») ni groupe",
        ),
        (
            {"code": "g", "non": [RESIDENCE]},
            "essai.yaml: eligibilite.criteres.non: une table (clé: valeur) est attendue",
        ),
        (
            {"code": "g", "tous": [RESIDENCE], "libelle": ""},
            "essai.yaml: eligibilite.criteres.libelle: un texte non vide est attendu",
        ),
    ],
)
def test_arbre_invalide_nomme_le_chemin(criteres, attendue):
    erreurs = erreurs_arbre(criteres)
    assert any(e.startswith(attendue) for e in erreurs), erreurs


def test_section_eligibilite_sans_criteres():
    contenu = minimal(RESIDENCE)
    contenu["eligibilite"] = {"arbre": RESIDENCE}
    with pytest.raises(ReferentielInvalide) as exc:
        valider(contenu, "essai.yaml")
    assert str(exc.value).splitlines() == [
        "essai.yaml: eligibilite.criteres: clé obligatoire absente",
        "essai.yaml: eligibilite.arbre: clé inconnue",
    ]


def test_arbre_trop_profond_ou_recursif():
    noeud = RESIDENCE
    for i in range(25):
        noeud = {"code": f"n{i}", "non": noeud}
    assert any("arbre trop profond (plus de 20 niveaux)" in e for e in erreurs_arbre(noeud))
    # Un alias YAML qui se contient lui-même ne fait pas boucler la validation.
    recursif = yaml.safe_load("criteres: &n\n  code: a\n  tous: [*n]\n")
    assert any("arbre trop profond" in e for e in erreurs_arbre(recursif["criteres"]))


@pytest.mark.parametrize("doc", ["eligibilite.md", "referentiel.md"])
def test_exemples_de_la_documentation(doc):
    """Les blocs YAML `eligibilite:` des docs sont des sections valides."""
    texte = (Path(settings.BASE_DIR) / "docs" / doc).read_text(encoding="utf-8")
    blocs = [b.split("```")[0] for b in texte.split("```yaml\n")[1:]]
    sections = [yaml.safe_load(b)["eligibilite"] for b in blocs if b.startswith("eligibilite:")]
    assert sections
    for section in sections:
        contenu = minimal(section["criteres"])
        valider(contenu, doc)
        assert evaluer(contenu, personne(sans_emploi_depuis="2020-01-01")).eligible is True


def test_section_facultative():
    contenu = minimal(RESIDENCE)
    del contenu["eligibilite"]
    valider(contenu, "essai.yaml")


@pytest.mark.parametrize("plie", PLIE)
def test_referentiels_du_depot_valides_sans_non(plie):
    """Les cinq arbres n'utilisent pas `non` (la propriété de monotonie ci-dessous s'applique)."""

    def noeuds(n):
        yield n
        for genre in ("tous", "un_parmi"):
            for enfant in n.get(genre, []):
                yield from noeuds(enfant)
        if "non" in n:
            yield from noeuds(n["non"])

    arbre = referentiel(plie)["eligibilite"]["criteres"]
    assert [n["code"] for n in noeuds(arbre)] == CODES[plie]
    assert not any("non" in n for n in noeuds(arbre))


@pytest.mark.django_db
@pytest.mark.parametrize("plie", PLIE)
def test_import_export_et_evaluation_depuis_la_base(plie):
    """Le référentiel importé (JSON en base) s'exporte à l'identique et s'évalue pareil."""
    ref = importer_referentiel(REFERENTIELS / f"{plie}.yaml")
    source = yaml.safe_load((REFERENTIELS / f"{plie}.yaml").read_text(encoding="utf-8"))
    source["version"]["date_effet"] = source["version"]["date_effet"].isoformat()
    assert yaml.safe_load(exporter_referentiel(ref.plie)) == source
    situation = personne(plie, sans_emploi_depuis="2021-01-01", freins=["mobilite"])
    assert evaluer(ref.contenu, situation) == evaluer(referentiel(plie), situation)


# --- Propriétés -------------------------------------------------------------------------------

DATE_EVAL = datetime.date(2024, 3, 1)
TOUTES_COMMUNES = sorted(
    {c["insee"] for plie in PLIE for t in _contenu(plie)["territoires"] for c in t["communes"]}
)


@st.composite
def personnes(draw):
    jour = st.dates(min_value=datetime.date(1940, 1, 1), max_value=DATE_EVAL)
    codes = draw(st.lists(st.sampled_from(sorted(STATUTS)), unique=True, max_size=4))
    return {
        "date": DATE_EVAL.isoformat(),
        "date_naissance": draw(
            st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2010, 1, 1))
        ).isoformat(),
        "commune_insee": draw(st.sampled_from(TOUTES_COMMUNES)),
        "sans_emploi_depuis": draw(st.none() | jour.map(datetime.date.isoformat)),
        "statuts": [
            {"code": c, "depuis": draw(st.none() | jour.map(datetime.date.isoformat))}
            for c in codes
        ],
        "freins": draw(st.lists(st.sampled_from(sorted(FREINS)), unique=True, max_size=4)),
        "niveau_qualification": draw(st.none() | st.integers(1, 8)),
        "bac": draw(st.none() | st.booleans()),
        "rqth_jusqu_au": draw(st.none() | st.dates().map(datetime.date.isoformat)),
        "suivi_mission_locale": draw(st.booleans()),
        "suivi_cap_emploi": draw(st.booleans()),
        "via_clause": draw(st.booleans()),
    }


@hsettings(database=None, max_examples=150, deadline=None)
@given(
    plie=st.sampled_from(PLIE),
    situation=personnes(),
    statut=st.sampled_from(sorted(STATUTS)),
    frein=st.sampled_from(sorted(FREINS)),
)
def test_ajouter_un_statut_ou_un_frein_ne_rend_jamais_ineligible(plie, situation, statut, frein):
    """Dans un arbre sans `non`, un statut ou un frein de plus ne retire jamais l'éligibilité."""
    contenu = _contenu(plie)
    avant = evaluer(contenu, situation)
    plus = copy.deepcopy(situation)
    if statut not in {s["code"] for s in plus["statuts"]}:
        plus["statuts"].append({"code": statut, "depuis": "2020-01-01"})
    if frein not in plus["freins"]:
        plus["freins"].append(frein)
    apres = evaluer(contenu, plus)
    if avant.eligible:
        assert apres.eligible
    # Et critère par critère : ce qui était satisfait le reste.
    for c_avant, c_apres in zip(avant.criteres, apres.criteres, strict=True):
        assert c_apres.satisfait or not c_avant.satisfait, (c_avant, c_apres)


@hsettings(database=None, max_examples=150, deadline=None)
@given(plie=st.sampled_from(PLIE), situation=personnes())
def test_chaque_groupe_combine_ses_enfants_et_la_racine_decide(plie, situation):
    """La ligne de chaque groupe est la combinaison logique des lignes de ses enfants."""
    contenu = _contenu(plie)
    evaluation = evaluer(contenu, situation)
    valeurs = verdicts(evaluation)
    assert len(valeurs) == len(evaluation.criteres)

    def recalculer(noeud):
        if "tous" in noeud:
            resultat = all([recalculer(e) for e in noeud["tous"]])  # noqa: C419 (tout évaluer)
        elif "un_parmi" in noeud:
            resultat = any([recalculer(e) for e in noeud["un_parmi"]])  # noqa: C419
        elif "non" in noeud:
            resultat = not recalculer(noeud["non"])
        else:
            resultat = valeurs[noeud["code"]]
        assert resultat == valeurs[noeud["code"]]
        return resultat

    assert recalculer(contenu["eligibilite"]["criteres"]) == evaluation.eligible
    assert all(c.explication for c in evaluation.criteres)
