from pathlib import Path

import pytest
from django.conf import settings

from parcours.accompagnement import suivi
from parcours.referentiel.noyau import Verificateur
from parcours.referentiel.sections import etapes
from parcours.referentiel.sections import suivi as section_suivi
from parcours.referentiel.services import importer_referentiel, lire_fichier

DOSSIER = Path(settings.BASE_DIR) / "referentiels"
CODES = ["agenais", "bordeaux", "dijon", "flandre-lys", "grand-perigueux", "technowest"]

TYPE_VALIDE = {
    "code": "bilan",
    "libelle": "Bilan de compétences",
    "categorie": "2 Orientation",
    "preuves": [{"code": "attestation", "libelle": "Attestation"}],
}


def erreurs_etapes(section):
    v = Verificateur()
    etapes.valider(v, section)
    return [(e.chemin, e.probleme) for e in v.erreurs]


def erreurs_suivi(section):
    v = Verificateur()
    section_suivi.valider(v, section)
    return [(e.chemin, e.probleme) for e in v.erreurs]


def test_catalogue_valide():
    assert erreurs_etapes([TYPE_VALIDE]) == []


@pytest.mark.parametrize(
    "section, chemin, probleme",
    [
        ([], "etapes", "une liste non vide de types d'étape est attendue"),
        ([{**TYPE_VALIDE, "code": "Bilan!"}], "etapes[0].code", "code en minuscules"),
        ([TYPE_VALIDE, TYPE_VALIDE], "etapes[1].code", "déjà utilisé par etapes[0]"),
        ([{**TYPE_VALIDE, "compte": "oui"}], "etapes[0].compte", "true ou false est attendu"),
        (
            [{**TYPE_VALIDE, "emploi_ou_formation": 1}],
            "etapes[0].emploi_ou_formation",
            "true ou false",
        ),
        ([{**TYPE_VALIDE, "preuves": []}], "etapes[0].preuves", "liste non vide de preuves"),
        (
            [{**TYPE_VALIDE, "preuves": [{"code": "x"}]}],
            "etapes[0].preuves[0].libelle",
            "clé obligatoire absente",
        ),
        (
            [{**TYPE_VALIDE, "preuves": [{"code": "a", "libelle": "A"}] * 2}],
            "etapes[0].preuves[1].code",
            "déjà utilisé",
        ),
        ([{**TYPE_VALIDE, "preuves_exigees": "deux"}], "etapes[0].preuves_exigees", "inconnu"),
        ([{**TYPE_VALIDE, "couleur": "bleu"}], "etapes[0].couleur", "clé inconnue"),
        (
            [{k: v for k, v in TYPE_VALIDE.items() if k != "categorie"}],
            "etapes[0].categorie",
            "clé obligatoire absente",
        ),
    ],
)
def test_erreurs_du_catalogue(section, chemin, probleme):
    assert any(c == chemin and probleme in p for c, p in erreurs_etapes(section)), erreurs_etapes(
        section
    )


@pytest.mark.parametrize(
    "section, chemin, probleme",
    [
        ({"suspension_mois": 0}, "suivi.suspension_mois", "supérieur ou égal à 1"),
        ({"sans_contact_mois": "deux"}, "suivi.sans_contact_mois", "nombre entier"),
        ({"alertes_duree_parcours_mois": [24, 12]}, "suivi.alertes_duree_parcours_mois", "ordre"),
        ({"alertes_duree_parcours_mois": 12}, "suivi.alertes_duree_parcours_mois", "liste"),
        ({"absence_injustifiee": {}}, "suivi.absence_injustifiee", "liste de relances"),
        (
            {"absence_injustifiee": [{"action": "appel", "libelle": "Appeler"}]},
            "suivi.absence_injustifiee[0].delai_jours",
            "clé obligatoire absente",
        ),
        (
            {"absence_injustifiee": [{"action": "appel", "libelle": "A", "delai_jours": -1}]},
            "suivi.absence_injustifiee[0].delai_jours",
            "supérieur ou égal à 0",
        ),
        ({"delai_inconnu": 3}, "suivi.delai_inconnu", "clé inconnue"),
    ],
)
def test_erreurs_de_la_section_suivi(section, chemin, probleme):
    assert any(c == chemin and probleme in p for c, p in erreurs_suivi(section)), erreurs_suivi(
        section
    )


def test_section_suivi_vide_valide():
    assert erreurs_suivi({}) == []


@pytest.mark.parametrize("code", CODES)
def test_referentiels_du_depot(db, code):
    referentiel = importer_referentiel(DOSSIER / f"{code}.yaml")
    catalogue = suivi.catalogue_etapes(referentiel.plie, referentiel.date_effet)
    assert catalogue.types, "chaque PLIE a un catalogue d'étapes"
    assert "suivi" in lire_fichier(DOSSIER / f"{code}.yaml")
    delais = suivi.delais_de_suivi(referentiel.plie, referentiel.date_effet)
    assert delais.entretien_physique_mois == 1 and delais.suspension_mois == 3
    assert [r.action for r in delais.absence_injustifiee] == ["courrier", "appel"]
    # L'accueil / accompagnement n'est jamais une étape comptée.
    assert not catalogue.type("accueil-accompagnement").compte


def test_catalogue_du_grand_perigueux(db):
    """Le tableau validé le 9 novembre 2021 (seed 001:L3920-4190), repris ligne à ligne."""
    referentiel = importer_referentiel(DOSSIER / "grand-perigueux.yaml")
    catalogue = suivi.catalogue_etapes(referentiel.plie, referentiel.date_effet)
    par_categorie = {c: len(types) for c, types in catalogue.par_categorie()}
    assert list(par_categorie.values()) == [1, 32, 11, 9, 9, 5]
    pmsmp = catalogue.type("pmsmp")
    assert [p.libelle for p in pmsmp.preuves] == [
        "Cerfa",
        "Compte rendu (Up Viesion)",
        "Bilan de stage",
        "Mail",
    ]
    assert pmsmp.preuves_exigees == "une" and not pmsmp.emploi_ou_formation
    assert catalogue.type("contrat-en-aci").emploi_ou_formation
    assert catalogue.type("afpr-poec-poei").emploi_ou_formation
    assert [p.code for p in catalogue.type("benevolat").preuves] == ["contrat-benevolat"]
