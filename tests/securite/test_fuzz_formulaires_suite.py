"""Données hostiles, seconde moitié des comptes (voir test_fuzz_formulaires.py) : un module à
part pour que pytest-xdist l'exécute sur l'autre cœur que la première moitié."""

import pytest

from tests.securite.sonde import demo_du_fuzz
from tests.securite.test_fuzz_formulaires import COMPTES, PREMIERS_COMPTES, assaillir_le_compte

demo = demo_du_fuzz()


@pytest.mark.parametrize("compte", [c for c in COMPTES if c not in PREMIERS_COMPTES])
def test_aucune_donnee_hostile_ne_provoque_d_erreur_500(demo, db, compte):
    assaillir_le_compte(compte)
