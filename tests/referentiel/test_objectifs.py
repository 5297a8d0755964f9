"""Section `objectifs` du référentiel : erreurs nommées, clés absentes sans objectif inventé,
valeurs des deux PLIE de démo (001:L399-403 ; 002:L447)."""

from pathlib import Path

import pytest
from django.conf import settings

from parcours.core.models import PLIE
from parcours.referentiel.sections import objectifs
from parcours.referentiel.services import importer_referentiel
from parcours.referentiel.validation import ReferentielInvalide
from tests.factories import PLIEFactory
from tests.referentiel.test_import_export import ecrire, minimal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("section", "attendu"),
    [
        ({"entrees_par_an": -3}, "objectifs.entrees_par_an: doit être supérieur ou égal à 0"),
        ({"sorties_positives_par_an": "beaucoup"}, "objectifs.sorties_positives_par_an: un nombre"),
        ({"taux_sorties_positives": 120}, "objectifs.taux_sorties_positives: doit être inférieur"),
        ({"entrees": 300}, "objectifs.entrees: clé inconnue"),
        ([300], "objectifs: une table"),
    ],
)
def test_objectifs_invalides_nommes(tmp_path, section, attendu):
    contenu = minimal()
    contenu["objectifs"] = section
    with pytest.raises(ReferentielInvalide) as exc:
        importer_referentiel(ecrire(tmp_path, contenu))
    assert attendu in str(exc.value)


def test_sans_section_ni_referentiel_aucun_objectif(tmp_path):
    importer_referentiel(ecrire(tmp_path, minimal()))
    for plie in (PLIE.objects.get(), PLIEFactory()):
        assert objectifs.de(plie) == objectifs.Objectifs(None, None, None)


def test_objectifs_des_plie_de_demo():
    racine = Path(settings.BASE_DIR) / "referentiels"
    for code in ("agenais", "flandre-lys"):
        importer_referentiel(racine / f"{code}.yaml")
    assert objectifs.de(PLIE.objects.get(code="agenais")) == objectifs.Objectifs(300, 136, None)
    assert objectifs.de(PLIE.objects.get(code="flandre-lys")) == objectifs.Objectifs(None, None, 50)
