"""Section `sortie` du référentiel : validation (erreurs nommées), import, règles en vigueur,
issue d'une incarcération au seuil."""

import copy
import datetime
import functools

import pytest
import yaml

from parcours.core.models import PLIE
from parcours.emploi.qualification import AucunReferentiel, issue_incarceration, regles_de_sortie
from parcours.referentiel.sections.sortie import lire
from parcours.referentiel.services import importer_referentiel
from parcours.referentiel.validation import ReferentielInvalide, valider
from tests.emploi.outils import REFERENTIELS, d, referentiels_avec_sortie, sortie

TOUS = sorted(p.stem for p in REFERENTIELS.glob("*.yaml"))


@pytest.mark.parametrize("code", TOUS)
def test_chaque_referentiel_du_depot_est_valide(code):
    chemin = REFERENTIELS / f"{code}.yaml"
    valider(yaml.safe_load(chemin.read_text(encoding="utf-8")), str(chemin), code_attendu=code)


def test_les_sept_referentiels_ont_une_section_sortie():
    assert set(referentiels_avec_sortie()) >= {
        "agenais",
        "bordeaux",
        "dijon",
        "flandre-lys",
        "grand-perigueux",
        "pas-de-calais",
        "technowest",
    }
    assert {r.categorie for r in sortie("bordeaux").regles} == {
        "emploi_durable",
        "sortie_dynamique",
    }
    assert [r.categorie for r in sortie("pas-de-calais").regles] == sorted(
        (r.categorie for r in sortie("pas-de-calais").regles),
        key=["emploi_durable", "emploi_transition", "sortie_positive"].index,
    )


@functools.cache
def _agenais() -> dict:
    # Lu une fois (PyYAML pur : ~25 ms par lecture) ; chaque cas en modifie une copie.
    return yaml.safe_load((REFERENTIELS / "agenais.yaml").read_text(encoding="utf-8"))


def erreurs(section) -> list[str]:
    contenu = copy.deepcopy(_agenais())
    contenu["sortie"] = section
    with pytest.raises(ReferentielInvalide) as exc:
        valider(contenu, "agenais.yaml", code_attendu="agenais")
    return [f"{e.chemin}: {e.probleme}" for e in exc.value.erreurs]


def une_regle(**modifs):
    regle = {
        "code": "essai",
        "libelle": "Essai",
        "categorie": "emploi_durable",
        "types": ["cdi"],
        "duree_min_mois": 6,
    }
    regle.update(modifs)
    return {k: v for k, v in regle.items() if v is not None}


@pytest.mark.parametrize(
    ("section", "attendu"),
    [
        ([], "sortie: une table (clé: valeur) est attendue"),
        ({}, "sortie.regles: clé obligatoire absente"),
        ({"regles": []}, "sortie.regles: une liste non vide de règles est attendue"),
        ({"regles": [une_regle()], "delai": 3}, "sortie.delai: clé inconnue"),
        (
            {"regles": [une_regle()], "tolerance_interruption_jours": -1},
            "sortie.tolerance_interruption_jours: doit être supérieur ou égal à 0",
        ),
        (
            {"regles": [une_regle()], "incarceration": {"seuil_mois": 3, "au_seuil": "prison"}},
            "sortie.incarceration.au_seuil: « prison » inconnu (attendu : sortie ou suspension)",
        ),
        (
            {"regles": [une_regle(), une_regle()]},
            "sortie.regles[1].code: code « essai » déjà utilisé par sortie.regles[0]",
        ),
        ({"regles": [une_regle(code="Essai 1")]}, "sortie.regles[0].code: code en minuscules"),
        (
            {"regles": [une_regle(libelle=None)]},
            "sortie.regles[0].libelle: clé obligatoire absente",
        ),
        (
            {"regles": [une_regle(categorie="positive")]},
            "sortie.regles[0].categorie: catégorie inconnue « positive »",
        ),
        (
            {"regles": [une_regle(types=["cdi", "ctt"])]},
            "sortie.regles[0].types[1]: type de contrat inconnu « ctt »",
        ),
        (
            {"regles": [une_regle(types=["cdi", "cdi"])]},
            "sortie.regles[0].types[1]: « cdi » déjà listé en sortie.regles[0].types[0]",
        ),
        (
            {"regles": [une_regle(types_exclus=["cdd"])]},
            "sortie.regles[0].types_exclus: donner soit types",
        ),
        ({"regles": [une_regle(types=None)]}, "sortie.regles[0]: types ou types_exclus attendu"),
        (
            {"regles": [une_regle(duree_min_mois=None)]},
            "sortie.regles[0]: au moins une mesure est attendue",
        ),
        (
            {"regles": [une_regle(duree_min_mois=0)]},
            "sortie.regles[0].duree_min_mois: doit être supérieur ou égal à 1",
        ),
        (
            {"regles": [une_regle(heures_min=1200)]},
            "sortie.regles[0].fenetre_mois: clé obligatoire avec heures_min (en mois glissants)",
        ),
        (
            {"regles": [une_regle(fenetre_mois=12)]},
            "sortie.regles[0].fenetre_mois: n'a de sens qu'avec heures_min, semaines_min",
        ),
        (
            {"regles": [une_regle(heures_min="1200 h", fenetre_mois=12)]},
            "sortie.regles[0].heures_min: un nombre est attendu",
        ),
        (
            {"regles": [une_regle(meme_employeur=True, meme_client=True)]},
            "sortie.regles[0].meme_client: meme_employeur et meme_client ensemble",
        ),
        (
            {"regles": [une_regle(temps_plein_ou_accord=True, heures_hebdo_min=20)]},
            "sortie.regles[0].heures_hebdo_min: temps_plein_ou_accord fixe déjà",
        ),
        (
            {"regles": [une_regle(sauf_accord=True)]},
            "sortie.regles[0].sauf_accord: n'a de sens qu'avec heures_hebdo_min",
        ),
        (
            {"regles": [une_regle(tolerance_interruption_jours=2, sans_interruption=False)]},
            "sortie.regles[0].tolerance_interruption_jours: n'a de sens qu'avec duree_min_mois",
        ),
        (
            {"regles": [une_regle(validation_commission="oui")]},
            "sortie.regles[0].validation_commission: true ou false est attendu",
        ),
        (
            {"regles": [une_regle(manuel=True, types=None)]},
            "sortie.regles[0]: une règle manuelle (décidée par la commission) n'a pas de mesure",
        ),
        (
            {"regles": [une_regle(manuel=True, types=None, duree_min_mois=None)]},
            "sortie.regles[0].validation_commission: une règle manuelle est décidée par la "
            "commission",
        ),
        ({"regles": [une_regle(note="")]}, "sortie.regles[0].note: un texte non vide"),
        ({"regles": [une_regle(age=55)]}, "sortie.regles[0].age: clé inconnue"),
    ],
)
def test_erreurs_nommees(section, attendu):
    trouvees = erreurs(section)
    assert any(e.startswith(attendu) for e in trouvees), trouvees


def test_section_exemple_de_la_doc_valide():
    section = {
        "tolerance_interruption_jours": 2,
        "regles": [
            une_regle(
                code="interim",
                types=["interim"],
                duree_min_mois=None,
                meme_employeur=True,
                heures_min=900,
                fenetre_mois=9,
            ),
            une_regle(
                code="cas",
                types=None,
                duree_min_mois=None,
                manuel=True,
                validation_commission=True,
                categorie="sortie_positive",
            ),
        ],
    }
    contenu = copy.deepcopy(_agenais())
    contenu["sortie"] = copy.deepcopy(section)
    valider(contenu, "agenais.yaml", code_attendu="agenais")


@pytest.mark.parametrize(
    ("referentiel", "fin", "issue"),
    [
        ("agenais", "2024-04-14", "sortie"),  # plus de 3 mois
        ("agenais", "2024-04-13", "suspension"),  # exactement 3 mois : au seuil
        ("agenais", "2024-04-12", "suspension"),
        ("grand-perigueux", "2024-04-13", "suspension"),  # « ≥ 3 » et « ≤ 3 » : configuré
        ("flandre-lys", "2024-04-13", "suspension"),  # pas de configuration : valeurs par défaut
    ],
)
def test_incarceration_au_seuil(referentiel, fin, issue):
    assert issue_incarceration(sortie(referentiel), d("2024-01-14"), d(fin)) == issue
    au_seuil_sortie = lire({"incarceration": {"seuil_mois": 3, "au_seuil": "sortie"}})
    assert issue_incarceration(au_seuil_sortie, d("2024-01-14"), d("2024-04-13")) == "sortie"


@pytest.mark.django_db
def test_regles_de_sortie_en_vigueur():
    importer_referentiel(REFERENTIELS / "grand-perigueux.yaml")
    importer_referentiel(REFERENTIELS / "pas-de-calais.yaml")
    plie = PLIE.objects.get(code="pas-de-calais")
    assert plie.communes.count() == 150
    assert PLIE.objects.get(code="grand-perigueux").communes.count() == 43
    regles = regles_de_sortie(plie, datetime.date(2025, 6, 30))
    assert regles == sortie("pas-de-calais")
    with pytest.raises(
        AucunReferentiel, match=r"Aucun référentiel en vigueur pour .* au 31/12/2024"
    ):
        regles_de_sortie(plie, datetime.date(2024, 12, 31))
