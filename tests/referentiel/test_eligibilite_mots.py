"""Les explications de l'éligibilité (PLIE et clauses) nomment chaque condition en français,
jamais par son code (issue 12, point 5 : « residence, age-travail, articulation-mission-locale »,
« satisfait par deld, rsa », « clause-moins-26 ») ; les codes restent dans `Critere.code` et le
JSON de la commande."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from parcours.referentiel.sections.clauses import evaluer_clause
from parcours.referentiel.sections.eligibilite import evaluer
from parcours.referentiel.sections.eligibilite.criteres import NOMS
from parcours.referentiel.sections.eligibilite.moteur import nom_du_noeud
from parcours.referentiel.sections.eligibilite.vocabulaire import TYPES_CRITERE
from parcours.referentiel.services import lire_fichier

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"
GUILLEMETS = re.compile(r"« (.+?) »")


def _noeuds(noeud):
    yield noeud
    for genre in ("tous", "un_parmi"):
        for enfant in noeud.get(genre, []):
            yield from _noeuds(enfant)
    if "non" in noeud:
        yield from _noeuds(noeud["non"])


def _arbres():
    for chemin in sorted(REFERENTIELS.glob("*.yaml")):
        contenu = lire_fichier(chemin)
        if "eligibilite" in contenu:
            yield pytest.param(contenu, "eligibilite", id=f"{chemin.stem}-eligibilite")
        if "clauses" in contenu:
            yield pytest.param(contenu, "clauses", id=f"{chemin.stem}-clauses")


def _personne(**champs):
    return {
        "date": "2024-03-01",
        "date_naissance": "2001-05-17",
        "commune_insee": None,
        "sans_emploi_depuis": "2022-01-01",
        "statuts": [{"code": "rsa"}, {"code": "qpv"}],
        "freins": ["mobilite", "experience"],
        "niveau_qualification": 3,
        "bac": False,
        "rqth_jusqu_au": None,
        "suivi_mission_locale": False,
        "suivi_cap_emploi": False,
        "via_clause": False,
        **champs,
    }


PERSONNES = [
    _personne(),  # beaucoup de conditions remplies : « satisfait par … »
    _personne(  # presque aucune : « aucune des conditions (…) », « non remplie(s) : … »
        date_naissance="1980-05-17",
        sans_emploi_depuis=None,
        statuts=[],
        freins=[],
        niveau_qualification=6,
        bac=True,
        suivi_mission_locale=True,
        suivi_cap_emploi=True,
    ),
]


@pytest.mark.parametrize(("contenu", "section"), list(_arbres()))
@pytest.mark.parametrize("personne", PERSONNES)
def test_les_lignes_des_groupes_ne_montrent_aucun_code(contenu, section, personne):
    racine = contenu[section]["criteres"]
    codes = {n["code"] for n in _noeuds(racine)}
    if section == "clauses":
        evaluation = evaluer_clause(contenu, personne)
    else:
        evaluation = evaluer(contenu, personne)
    groupes = {n["code"] for n in _noeuds(racine) if "type" not in n}
    lignes = [c for c in evaluation.criteres if c.code in groupes]
    assert lignes
    for ligne in lignes:
        nommes = GUILLEMETS.findall(ligne.explication)
        assert nommes, ligne.explication
        assert not codes & set(nommes), ligne.explication
        for code in codes:
            if "-" in code:  # un code composé n'est jamais un mot de la phrase
                assert code not in ligne.explication, ligne.explication


def test_chaque_type_de_critere_a_un_nom():
    assert set(NOMS) == set(TYPES_CRITERE)


@pytest.mark.parametrize(
    ("noeud", "nom"),
    [
        ({"code": "deld", "type": "chomage_longue_duree", "mois_min": 12}, "DELD (≥ 12 mois)"),
        ({"code": "x", "type": "age", "max": 25}, "âge : 25 ans ou moins"),
        (
            {"code": "x", "type": "statut", "statuts": ["rsa", "ass"], "depuis_mois_min": 6},
            "statut RSA ou ASS depuis au moins 6 mois",
        ),
        (
            {"code": "x", "type": "niveau_qualification_max", "max": 3},
            "niveau de qualification 3 (CAP, BEP) ou moins",
        ),
        ({"code": "x", "type": "non_suivi", "par": "cap_emploi"}, "pas suivi par Cap emploi"),
        ({"code": "x", "type": "freins", "au_moins": 2}, "au moins 2 freins"),
        ({"code": "x", "libelle": "Mon libellé", "type": "bac", "attendu": True}, "Mon libellé"),
        (
            {"code": "g", "un_parmi": [{"code": "r", "type": "residence"}]},
            "Au moins une des conditions",
        ),
    ],
)
def test_nom_du_noeud(noeud, nom):
    assert nom_du_noeud(noeud) == nom
