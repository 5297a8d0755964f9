"""Les accesseurs typés des sections (`sections.<section>.de(plie, date)`) : la version en
vigueur à la date, lue et complétée des valeurs par défaut ; sans référentiel, les valeurs par
défaut (ou None quand une section n'a pas de sens sans fichier). Et l'aperçu d'un import."""

import datetime
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from parcours.core.models import PLIE
from parcours.referentiel.apercu import apercu_import
from parcours.referentiel.sections import (
    clauses,
    commissions,
    conservation,
    delais,
    eligibilite,
    engagement,
    etapes,
    portefeuille,
    sortie,
    suivi,
    suivi_emploi,
)
from parcours.referentiel.services import importer_contenu, lire_fichier
from tests.factories import PLIEFactory

pytestmark = pytest.mark.django_db

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"
AVANT = datetime.date(2020, 12, 31)  # la veille de la version du 01/01/2021


@pytest.fixture
def agenais():
    """Le référentiel de l'Agenais, délais et portefeuille retouchés, en vigueur au 01/01/2021."""
    contenu = lire_fichier(REFERENTIELS / "agenais.yaml")
    contenu["version"]["date_effet"] = datetime.date(2021, 1, 1)
    contenu["delais"] = {"recevabilite_jours": 4}
    contenu["portefeuille"]["plafond_par_referent"] = 77
    contenu["suivi_emploi"]["appel_jours"] = 5
    contenu["suivi"]["fse_sortie_semaines"] = 6
    importer_contenu(contenu, "agenais.yaml", code_attendu="agenais")
    return PLIE.objects.get(code="agenais")


def test_la_version_en_vigueur_lue_et_completee(agenais):
    assert delais.de(agenais) == delais.Delais(
        recevabilite_jours=4, complements_jours=15, premier_entretien_jours=15
    )
    assert portefeuille.de(agenais).plafond_par_referent == 77
    entree = commissions.de(agenais).entree
    assert (
        entree.nom,
        entree.cadence_par_an,
        entree.par_territoire,
        entree.decision_anticipee,
    ) == ("commission d'intégration et de suivi", 10, False, False)
    assert commissions.de(agenais).pour("sortie") == commissions.de(agenais).sortie
    delais_emploi = suivi_emploi.de(agenais)
    assert (delais_emploi.appel_jours, delais_emploi.fse_sortie_semaines) == (5, 6)
    assert suivi.de(agenais).fse_sortie_semaines == 6
    assert etapes.de(agenais).type("accueil-accompagnement").compte is False
    assert engagement.de(agenais).signataires == ("participant", "referent")
    assert engagement.de(agenais).piece("piece-identite").obligatoire
    assert conservation.de(agenais).documents_annees == 3
    regles = sortie.de(agenais)
    assert regles.incarceration == sortie.Incarceration(seuil_mois=3, au_seuil="suspension")
    assert [r.rang for r in regles.regles] == list(range(len(regles.regles)))
    assert eligibilite.de(agenais).nom_plie == "PLIE de l'Agenais"
    assert clauses.de(agenais).territoires[0].communes[0].insee == "47001"


def test_avant_la_version_ou_sans_referentiel(agenais):
    sans = PLIEFactory()
    for plie, date in ((agenais, AVANT), (sans, None)):
        assert delais.de(plie, date) == delais.du_contenu(None)
        assert delais.de(plie, date).recevabilite_jours == 10
        assert suivi_emploi.de(plie, date).appel_jours == 7
        assert suivi.de(plie, date) == suivi.du_contenu(None)
        assert etapes.de(plie, date).types == ()
        assert engagement.de(plie, date) == engagement.PAR_DEFAUT
        assert conservation.de(plie, date) == conservation.du_contenu(None)
        for section in (portefeuille, commissions, eligibilite, clauses, sortie):
            assert section.de(plie, date) is None, section.CLE


def test_delais_de_plusieurs_plie_en_une_requete(agenais, django_assert_num_queries):
    sans = PLIEFactory()
    with django_assert_num_queries(1):
        par_plie = delais.par_plie([agenais.pk, sans.pk])
    assert par_plie == {agenais.pk: delais.de(agenais), sans.pk: delais.du_contenu(None)}


def test_apercu_d_un_import(agenais):
    contenu = yaml.safe_load((REFERENTIELS / "agenais.yaml").read_text(encoding="utf-8"))
    contenu["version"]["date_effet"] = datetime.date(2021, 1, 1)
    apercu = apercu_import(agenais, contenu)
    assert (apercu.remplace, apercu.territoires, apercu.communes) == (True, 1, 44)
    assert apercu.sections[:3] == ("territoires", "commissions", "portefeuille")
    assert "format" not in apercu.sections and "sortie" in apercu.sections
    contenu["version"]["date_effet"] = datetime.date(2027, 1, 1)
    assert not apercu_import(agenais, contenu).remplace


def test_delais_du_suivi_emploi_a_plusieurs_dates_en_une_requete(
    agenais, django_assert_num_queries
):
    """Avant la version : les valeurs par défaut ; à partir d'elle : ses délais ; comme `de`."""
    dates = [AVANT, datetime.date(2021, 1, 1), datetime.date(2024, 6, 3)]
    with django_assert_num_queries(1):
        par_date = suivi_emploi.aux_dates(agenais.pk, dates)
    assert [par_date[d].appel_jours for d in dates] == [7, 5, 5]
    assert par_date == {d: suivi_emploi.de(agenais, d) for d in dates}
