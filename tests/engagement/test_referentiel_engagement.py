"""La section `engagement` du référentiel : validée comme le reste, chemin et problème nommés."""

import copy
import functools

import pytest
import yaml

from parcours.referentiel.services import exporter_referentiel, importer_referentiel
from parcours.referentiel.validation import ReferentielInvalide, valider
from tests.engagement.conftest import (
    AVEC_ANIMATION,
    CODES_REFERENTIELS,
    DOSSIER_REFERENTIELS,
    section_engagement,
)

SECTION = {
    "signataires": ["participant", "referent"],
    "pieces": [
        {
            "code": "justificatif-domicile",
            "libelle": "Justificatif de domicile",
            "obligatoire": True,
        }
    ],
}


@functools.cache
def _bordeaux() -> dict:
    # Lu une fois (PyYAML pur : ~25 ms par lecture) ; chaque cas en modifie une copie.
    return yaml.safe_load((DOSSIER_REFERENTIELS / "bordeaux.yaml").read_text(encoding="utf-8"))


def _erreurs(section) -> list[str]:
    """Les erreurs de validation d'un référentiel minimal portant cette section."""
    contenu = copy.deepcopy(_bordeaux())
    contenu["engagement"] = section
    try:
        valider(contenu, "bordeaux.yaml", code_attendu="bordeaux")
    except ReferentielInvalide as exc:
        return [e.format("bordeaux.yaml") for e in exc.erreurs]
    return []


@pytest.mark.parametrize("code", CODES_REFERENTIELS)
def test_les_referentiels_du_depot_ont_leur_section_engagement(code):
    section = section_engagement(code)
    attendus = ["participant", "referent"] + (["animation"] if code in AVEC_ANIMATION else [])
    assert section["signataires"] == attendus
    assert any(p["code"] == "justificatif-domicile" and p["obligatoire"] for p in section["pieces"])
    assert _erreurs(section) == []


def test_section_valide_et_pieces_facultatives():
    assert _erreurs(SECTION) == []
    assert _erreurs({"signataires": ["referent", "participant", "animation"]}) == []
    assert _erreurs({**SECTION, "pieces": []}) == []


def _avec(chemin_modif):
    section = copy.deepcopy(SECTION)
    chemin_modif(section)
    return section


@pytest.mark.parametrize(
    ("section", "attendu"),
    [
        ("non", "bordeaux.yaml: engagement: une table (clé: valeur) est attendue"),
        ({"pieces": []}, "bordeaux.yaml: engagement.signataires: clé obligatoire absente"),
        (
            {**SECTION, "delai": 3},
            "bordeaux.yaml: engagement.delai: clé inconnue",
        ),
        (
            {"signataires": ["participant"]},
            "bordeaux.yaml: engagement.signataires: « referent » manque : le référent signe "
            "toujours le contrat",
        ),
        (
            {"signataires": ["participant", "referent", "directeur"]},
            "bordeaux.yaml: engagement.signataires[2]: code de signataire inconnu « directeur » "
            "(codes connus : participant, referent, animation)",
        ),
        (
            {"signataires": ["participant", "referent", "referent"]},
            "bordeaux.yaml: engagement.signataires[2]: « referent » déjà listé en "
            "engagement.signataires[1]",
        ),
        (
            {"signataires": []},
            "bordeaux.yaml: engagement.signataires: une liste non vide de codes de signataire "
            "est attendue",
        ),
        (
            {**SECTION, "pieces": {"code": "x"}},
            "bordeaux.yaml: engagement.pieces: une liste de pièces est attendue",
        ),
        (
            _avec(lambda s: s["pieces"][0].pop("obligatoire")),
            "bordeaux.yaml: engagement.pieces[0].obligatoire: clé obligatoire absente",
        ),
        (
            _avec(lambda s: s["pieces"][0].update(obligatoire="oui")),
            "bordeaux.yaml: engagement.pieces[0].obligatoire: true ou false est attendu",
        ),
        (
            _avec(lambda s: s["pieces"][0].update(libelle="  ")),
            "bordeaux.yaml: engagement.pieces[0].libelle: un texte non vide est attendu",
        ),
        (
            _avec(lambda s: s["pieces"][0].update(code="Justificatif Domicile")),
            "bordeaux.yaml: engagement.pieces[0].code: code en minuscules, chiffres, tirets ou "
            "soulignés, 50 caractères au plus (ex. justificatif-domicile)",
        ),
        (
            _avec(lambda s: s["pieces"].append(dict(s["pieces"][0]))),
            "bordeaux.yaml: engagement.pieces[1].code: code « justificatif-domicile » déjà "
            "utilisé par engagement.pieces[0]",
        ),
        (
            _avec(lambda s: s["pieces"][0].update(format="pdf")),
            "bordeaux.yaml: engagement.pieces[0].format: clé inconnue",
        ),
    ],
)
def test_section_invalide_nomme_le_chemin_et_le_probleme(section, attendu):
    assert attendu in _erreurs(section)


@pytest.mark.django_db
def test_import_export_garde_la_section(tmp_path):
    referentiel = importer_referentiel(DOSSIER_REFERENTIELS / "flandre-lys.yaml")
    assert referentiel.contenu["engagement"] == section_engagement("flandre-lys")
    exporte = yaml.safe_load(exporter_referentiel(referentiel.plie))
    assert exporte["engagement"] == section_engagement("flandre-lys")
