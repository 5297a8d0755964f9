"""Section `conservation` du référentiel : valeurs des seeds dans chaque fichier, valeurs par
défaut, échéances, validation en français (docs/rgpd.md)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from parcours.referentiel.sections.conservation import DEFAUTS
from parcours.referentiel.sections.conservation import de as regles_du_plie
from parcours.referentiel.sections.conservation import du_contenu as regles_conservation
from parcours.referentiel.services import importer_referentiel
from parcours.referentiel.validation import ReferentielInvalide, valider
from tests.referentiel.test_import_export import minimal

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"
CODES = sorted(p.stem for p in REFERENTIELS.glob("*.yaml"))


def test_les_sept_referentiels_sont_couverts():
    assert len(CODES) == 7


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_chaque_referentiel_porte_les_durees_des_seeds(code):
    referentiel = importer_referentiel(REFERENTIELS / f"{code}.yaml")
    assert "conservation" in referentiel.contenu
    regles = regles_du_plie(referentiel.plie, referentiel.date_effet)
    assert regles.documents_annees == 3  # 001:L7896-7900
    assert regles.donnees_fse_jusqu_au == datetime.date(2033, 12, 31)  # 001:L8077
    assert regles.documents_pas_avant is None
    assert regles.identite_annees == 5  # à confirmer
    texte = (REFERENTIELS / f"{code}.yaml").read_text(encoding="utf-8")
    section = texte[texte.index("conservation:") :]
    assert "001:L7896" in section and "001:L8077" in section and "à confirmer" in section


def test_valeurs_par_defaut_sans_section():
    regles = regles_conservation(minimal())
    assert regles == regles_conservation({"conservation": DEFAUTS})
    assert regles.documents_annees == 3
    assert regles.fin_fse == datetime.date(2033, 12, 31)


def test_echeances_au_31_decembre():
    regles = regles_conservation({"conservation": {"donnees_fse_jusqu_au": "2020-12-31"}})
    cloture = datetime.date(2021, 3, 15)
    assert regles.fin_documents(cloture) == datetime.date(2024, 12, 31)
    assert regles.fin_identite(cloture) == datetime.date(2026, 12, 31)
    # La fin des données FSE retient l'identité plus longtemps.
    assert regles_conservation(None).fin_identite(cloture) == datetime.date(2033, 12, 31)
    # La date limite des contrôles, si le service gestionnaire l'a donnée, retient les pièces.
    tardive = regles_conservation({"conservation": {"documents_pas_avant": "2030-12-31"}})
    assert tardive.fin_documents(cloture) == datetime.date(2030, 12, 31)


def test_une_cle_partielle_complete_les_defauts():
    regles = regles_conservation({"conservation": {"identite_annees": 2}})
    assert (regles.identite_annees, regles.documents_annees) == (2, 3)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"duree": 3}, r"conservation\.duree: clé inconnue"),
        ({"documents_annees": -1}, r"conservation\.documents_annees: doit être compris entre 0"),
        ({"identite_annees": 31}, r"conservation\.identite_annees: doit être compris entre 0"),
        ({"identite_annees": True}, r"conservation\.identite_annees: un nombre entier d'années"),
        ({"documents_annees": "3"}, r"conservation\.documents_annees: un nombre entier d'années"),
        ({"donnees_fse_jusqu_au": "31/12/2033"}, r"conservation\.donnees_fse_jusqu_au: une date"),
        ({"donnees_fse_jusqu_au": None}, r"conservation\.donnees_fse_jusqu_au: une date"),
        ({"documents_pas_avant": "1999-12-31"}, r"documents_pas_avant: doit être comprise entre"),
        ([], r"conservation: une table"),
    ],
)
def test_section_validee_en_francais(section, message):
    contenu = {**minimal(), "conservation": section}
    with pytest.raises(ReferentielInvalide, match=message):
        valider(contenu, "essai.yaml")


def test_section_valide_acceptee():
    contenu = {
        **minimal(),
        "conservation": {
            "documents_annees": 0,
            "documents_pas_avant": datetime.date(2031, 12, 31),
            "donnees_fse_jusqu_au": "2033-12-31",
            "identite_annees": 10,
        },
    }
    valider(contenu, "essai.yaml")
