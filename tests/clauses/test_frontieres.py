"""Les frontières des clauses : le domaine (`parcours/clauses/`) n'importe que les applications
au-dessous de lui et aucun écran ; les écrans (`workflows/clauses/`) écrivent une seule fois le
contrôle d'accès d'un écran ; aucun fichier ne dépasse ~400 lignes."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from workflows.clauses.views import besoins, heures, rapports, referentiel_operations
from workflows.clauses.views.mixins import AccesMixin

RACINE = Path(settings.BASE_DIR)
DOMAINE = RACINE / "parcours" / "clauses"
ECRANS = RACINE / "workflows" / "clauses"
LIGNES_MAX = 400

# L'ordre des applications du domaine (docs/architecture.md) : les clauses importent celles qui
# sont au-dessous d'elles, jamais `dossier`, `rgpd`, la politique d'accès ni les couches du haut.
AU_DESSOUS = (
    "tracabilite",
    "core",
    "referentiel",
    "participants",
    "accompagnement",
    "courriels",
    "commissions",
    "emploi",
    "entreprises",
    "clauses",
)
# Ce qui fait un écran : il n'en faut aucun dans le domaine.
ECRAN = ("django.views", "django.forms", "django.urls", "django.http", "viewflow")


def _modules(dossier: Path):
    for chemin in sorted(dossier.rglob("*.py")):
        if "migrations" not in chemin.parts:
            yield chemin


def _arbre(chemin: Path) -> ast.Module:
    return ast.parse(chemin.read_text(encoding="utf-8"), filename=str(chemin))


def imports(chemin: Path) -> set[str]:
    """Les modules importés, à tout niveau du fichier (y compris dans une fonction)."""
    noms = set()
    for noeud in ast.walk(_arbre(chemin)):
        if isinstance(noeud, ast.Import):
            noms.update(a.name for a in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms.add(noeud.module)
            noms.update(f"{noeud.module}.{a.name}" for a in noeud.names)
    return noms


def fautes_d_import(chemin: Path) -> list[str]:
    fautes = []
    for nom in sorted(imports(chemin)):
        parties = nom.split(".")
        if parties[0] in ("workflows", "config", "demo"):
            fautes.append(f"{nom} (couche du haut)")
        elif parties[0] == "parcours" and len(parties) > 1 and parties[1] not in AU_DESSOUS:
            fautes.append(f"{nom} (au-dessus des clauses)")
        elif nom.startswith(ECRAN):
            fautes.append(f"{nom} (un écran)")
    return fautes


@pytest.mark.parametrize("chemin", list(_modules(DOMAINE)), ids=lambda c: c.name)
def test_le_domaine_des_clauses_n_importe_que_ce_qui_est_au_dessous(chemin):
    assert fautes_d_import(chemin) == []


def test_la_garde_voit_un_import_cache_dans_une_fonction(tmp_path):
    chemin = tmp_path / "ancien.py"
    chemin.write_text(
        "from django.views import generic\n"
        "from parcours import acces\n"
        "def f():\n"
        "    from parcours.dossier.chronologie import evenements\n"
        "    from workflows.clauses.flows import CandidatureFlow\n"
        "    from parcours.emploi.models import Contrat\n",
        encoding="utf-8",
    )
    assert fautes_d_import(chemin) == [
        "django.views (un écran)",
        "django.views.generic (un écran)",
        "parcours.acces (au-dessus des clauses)",
        "parcours.dossier.chronologie (au-dessus des clauses)",
        "parcours.dossier.chronologie.evenements (au-dessus des clauses)",
        "workflows.clauses.flows (couche du haut)",
        "workflows.clauses.flows.CandidatureFlow (couche du haut)",
    ]


@pytest.mark.parametrize(
    "chemin",
    [*_modules(DOMAINE), *_modules(ECRANS)],
    ids=lambda c: str(c.relative_to(RACINE)),
)
def test_aucun_fichier_des_clauses_ne_depasse_400_lignes(chemin):
    lignes = len(chemin.read_text(encoding="utf-8").splitlines())
    assert lignes <= LIGNES_MAX, f"{chemin.relative_to(RACINE)} : {lignes} lignes"


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
