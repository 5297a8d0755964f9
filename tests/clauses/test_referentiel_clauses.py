"""Section `clauses` du référentiel : validation (erreurs situées, en français) et évaluation
expliquée, identique au moteur d'éligibilité sur les critères qu'ils partagent."""

import copy
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from parcours.referentiel.sections.clauses import evaluer_clause
from parcours.referentiel.sections.eligibilite import evaluer
from parcours.referentiel.services import lire_fichier
from parcours.referentiel.validation import ReferentielInvalide, valider
from tests.referentiel.test_eligibilite import PLIE, personnes

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"
TOUS = sorted(p.stem for p in REFERENTIELS.glob("*.yaml"))


def _contenu(code):
    chemin = REFERENTIELS / f"{code}.yaml"
    contenu = lire_fichier(chemin)
    valider(contenu, str(chemin), code_attendu=code)
    return contenu


def _personne(**surcharges):
    return {
        "date": "2025-04-01",
        "date_naissance": "1985-06-01",
        "commune_insee": None,
        "sans_emploi_depuis": None,
        "statuts": [],
        "freins": [],
        "niveau_qualification": 4,
        "bac": True,
        "rqth_jusqu_au": None,
        "suivi_mission_locale": False,
        "suivi_cap_emploi": False,
        "via_clause": True,
        "salarie_iae": False,
        **surcharges,
    }


@pytest.mark.parametrize("code", TOUS)
def test_chaque_referentiel_du_depot_a_une_section_clauses_valide(code):
    assert "criteres" in _contenu(code)["clauses"]


def _erreurs(section):
    contenu = _contenu("agenais")
    contenu["clauses"] = section
    with pytest.raises(ReferentielInvalide) as exc:
        valider(contenu, "x.yaml")
    return str(exc.value).splitlines()


def test_erreurs_situees_et_en_francais():
    assert _erreurs(
        {
            "criteres": {
                "code": "racine",
                "un_parmi": [
                    {"code": "a", "type": "salarie_iaee"},
                    {"code": "racine", "type": "salarie_iae"},
                    {"code": "c", "type": "age", "min": 30, "max": 20},
                    {"code": "d", "type": "salarie_iae", "depuis": 3},
                ],
            },
            "libre": 1,
        }
    ) == [
        "x.yaml: clauses.libre: clé inconnue",
        "x.yaml: clauses.criteres.un_parmi[0].type: type de critère inconnu « salarie_iaee » "
        "(types connus : residence, age, statut, chomage_longue_duree, rqth_valide, "
        "niveau_qualification_max, bac, non_suivi, via_clause, freins, salarie_iae)",
        "x.yaml: clauses.criteres.un_parmi[1].code: code « racine » déjà utilisé par "
        "clauses.criteres",
        "x.yaml: clauses.criteres.un_parmi[2].max: bornes incohérentes : max (20) est inférieur "
        "à min (30)",
        "x.yaml: clauses.criteres.un_parmi[3].depuis: clé inconnue",
    ]
    assert _erreurs({}) == ["x.yaml: clauses.criteres: clé obligatoire absente"]


def test_le_critere_salarie_iae_et_son_explication():
    contenu = _contenu("agenais")
    personne = _personne(salarie_iae=True)
    evaluation = evaluer_clause(contenu, personne)
    assert evaluation.eligible
    assert evaluation.critere("clause-iae").explication == (
        "Personne embauchée en insertion par une SIAE — Salarié en insertion (parcours IAE en "
        "cours dans une SIAE)"
    )
    assert evaluation.critere("eligibilite-clause").explication == (
        "Public éligible à la clause — satisfait par « Personne embauchée en insertion par une "
        "SIAE »"
    )
    refus = evaluer_clause(contenu, _personne())
    assert not refus.eligible
    assert refus.critere("clause-iae").explication == (
        "Personne embauchée en insertion par une SIAE — Pas de parcours IAE en cours"
    )


@pytest.mark.parametrize(
    ("surcharges", "eligible", "par"),
    [
        # Les conditions sont nommées par leur libellé, jamais par leur code (clause-rsa…).
        ({"statuts": [{"code": "rsa"}]}, True, "Bénéficiaire du RSA"),
        ({"date_naissance": "2000-04-02"}, True, "Jeune de moins de 26 ans"),  # 24 ans
        ({"date_naissance": "1999-04-01"}, False, None),  # 26 ans le jour même
        ({"sans_emploi_depuis": "2024-04-01"}, True, "Demandeur d'emploi de longue durée"),
        ({"statuts": [{"code": "qpv"}]}, False, None),  # QPV seul : hors public du Département
    ],
)
def test_public_cible_du_pas_de_calais(surcharges, eligible, par):
    evaluation = evaluer_clause(_contenu("pas-de-calais"), _personne(**surcharges))
    assert evaluation.eligible is eligible
    if par:
        assert evaluation.criteres[0].explication == (
            f"Public cible de la clause — satisfait par « {par} »"
        )


def test_section_absente_ou_personne_mal_formee():
    contenu = _contenu("agenais")
    with pytest.raises(Exception, match="salarie_iae"):
        evaluer_clause(contenu, _personne(salarie_iae="oui"))
    del contenu["clauses"]
    with pytest.raises(ReferentielInvalide, match="section absente"):
        evaluer_clause(contenu, _personne())


@hsettings(database=None, max_examples=200, deadline=None)
@given(plie=st.sampled_from(PLIE), situation=personnes(), iae=st.booleans())
def test_meme_resultat_que_le_moteur_sur_un_arbre_commun(plie, situation, iae):
    """L'arbre d'éligibilité d'entrée de chaque PLIE, placé en section `clauses`, donne les mêmes
    lignes (codes, verdicts, explications) que le moteur d'éligibilité."""
    contenu = _contenu(plie)
    contenu["clauses"] = copy.deepcopy(contenu["eligibilite"])
    attendu = evaluer(contenu, situation)
    obtenu = evaluer_clause(contenu, {**situation, "salarie_iae": iae})
    assert obtenu == attendu


def test_date_d_evaluation_prise_dans_la_personne():
    contenu = _contenu("agenais")
    veille = _personne(date="2025-05-31", date_naissance="1975-06-01")
    jour = _personne(date="2025-06-01", date_naissance="1975-06-01")
    assert not evaluer_clause(contenu, veille).critere("clause-senior").satisfait
    assert evaluer_clause(contenu, jour).critere("clause-senior").satisfait
