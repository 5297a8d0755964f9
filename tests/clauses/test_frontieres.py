"""Les frontières des écrans des clauses : `workflows/clauses/` écrit une seule fois le contrôle
d'accès d'un écran. (Le sens des imports du domaine et le plafond de lignes : test_architecture.)"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from tests.imports import arbre as _arbre
from tests.imports import modules as _modules
from workflows.clauses.views import besoins, heures, rapports, referentiel_operations
from workflows.clauses.views.mixins import AccesMixin

RACINE = Path(settings.BASE_DIR)
ECRANS = RACINE / "workflows" / "clauses"


def test_le_controle_d_acces_d_un_ecran_est_ecrit_une_fois():
    """`dispatch` (404 sans le rôle qui ouvre l'écran) n'est écrit que dans `AccesMixin` : les
    écrans des clauses et ceux des heures et bilans en avaient chacun une copie."""
    dispatchs = [
        str(chemin.relative_to(RACINE))
        for chemin in _modules(ECRANS)
        for noeud in ast.walk(_arbre(chemin))
        if isinstance(noeud, ast.FunctionDef) and noeud.name == "dispatch"
    ]
    assert dispatchs == ["workflows/clauses/views/mixins.py"]


@pytest.mark.parametrize(
    "vue",
    [
        referentiel_operations.DonneurOrdreListView,
        referentiel_operations.MarcheUpdateView,
        besoins.BesoinDetailView,
        heures.SaisieHeuresView,
        rapports.ImpactFichierView,
        rapports.TableauDeBordView,
    ],
    ids=lambda v: v.__name__,
)
def test_les_ecrans_des_clauses_et_des_heures_partagent_le_meme_controle(vue):
    assert issubclass(vue, AccesMixin)
