"""Les garde-fous de la maison (docs/architecture.md) : ils échouent quand le code la défait.

- `parcours/` (le domaine) n'importe jamais `workflows/`, `config/`, `demo/` ni une vue ;
- dans `parcours/`, une app n'importe que les apps placées sous elle dans `ORDRE` ;
- la politique d'accès (`parcours/acces/`) est tout en haut : aucun modèle, aucun service du
  domaine ne l'importe (ils demandent `user.has_perm(...)`, auquel elle répond) ;
- aucun fichier de code au-delà de `LIGNES_MAX` lignes (hors migrations) ;
- pas de modules à suffixe (`models_suivi.py`, `views_suivi.py`) : un paquet à la place.

Les imports sont lus avec `ast`, y compris ceux cachés dans les fonctions.
"""

import re
from pathlib import Path

import pytest

from tests.imports import RACINE, imports_par_ligne, modules

# Du bas vers le haut : une app peut importer celles qui la précèdent, jamais celles qui la suivent.
ORDRE = [
    "tracabilite",
    "core",
    "referentiel",
    "participants",
    "fse",
    "accompagnement",
    "courriels",
    "commissions",
    "emploi",
    "entreprises",
    "clauses",
    # Ce que le PLIE rend compte : exports FSE+, indicateurs (ne fait que lire les apps dessous).
    "reporting",
    # Modèles de lecture qui traversent les apps, puis les devoirs RGPD, puis la politique d'accès.
    "dossier",
    "rgpd",
    "reprise",
    "acces",
]
COUCHES_INTERDITES_AU_DOMAINE = ("workflows", "config", "demo")
# Ce qui fait un écran (vue, formulaire, réponse HTTP, flux) : rien de cela dans le domaine.
# `django.urls.reverse` reste permis (l'adresse d'un objet, comme `get_absolute_url`).
# L'API (DRF, drf-spectacular) est un écran aussi : ses vues vivent dans `workflows/api/`.
ECRAN = (
    "django.views",
    "django.forms",
    "django.http",
    "django.shortcuts",
    "viewflow",
    "rest_framework",
    "drf_spectacular",
)
# Les tables de viewflow sont des données (la conservation RGPD efface les commentaires saisis
# dans les tâches) : le domaine peut les lire, pas ses flux ni ses vues.
DONNEES_VIEWFLOW = ("viewflow.workflow.models", "viewflow.workflow.status")
LIGNES_MAX = 420
SUFFIXE = re.compile(r"^(models|views|forms|services|urls|tests?)_\w+\.py$")


def _modules(dossier: str):
    return modules(RACINE / dossier)


def _imports(chemin: Path) -> list[tuple[int, str]]:
    return imports_par_ligne(chemin)


def _app(module: str) -> str | None:
    parties = module.split(".")
    if len(parties) >= 2 and parties[0] == "parcours":
        return parties[1]
    return None


def test_l_ordre_nomme_chaque_app_du_domaine():
    apps = {p.name for p in (RACINE / "parcours").iterdir() if (p / "__init__.py").exists()}
    assert apps == set(ORDRE), "ajoutez la nouvelle app à ORDRE (et à docs/architecture.md)"


def test_le_domaine_n_importe_ni_les_ecrans_ni_la_configuration():
    fautes = []
    for chemin in _modules("parcours"):
        for ligne, module in _imports(chemin):
            racine = module.split(".")[0]
            ecran = module.startswith(ECRAN) and not module.startswith(DONNEES_VIEWFLOW)
            if racine in COUCHES_INTERDITES_AU_DOMAINE or ecran:
                fautes.append(f"{chemin.relative_to(RACINE)}:{ligne} importe {module}")
    assert fautes == []


def test_chaque_app_du_domaine_n_importe_que_les_apps_sous_elle():
    fautes = []
    for chemin in _modules("parcours"):
        app = chemin.relative_to(RACINE / "parcours").parts[0]
        if app not in ORDRE:
            continue
        for ligne, module in _imports(chemin):
            cible = _app(module)
            if cible in ORDRE and ORDRE.index(cible) > ORDRE.index(app):
                fautes.append(f"{chemin.relative_to(RACINE)}:{ligne} ({app}) importe {module}")
    assert sorted(set(fautes)) == []


def test_aucun_modele_n_importe_la_politique_d_acces():
    fautes = []
    for chemin in _modules("parcours"):
        if "acces" in chemin.relative_to(RACINE).parts:
            continue
        for ligne, module in _imports(chemin):
            if module == "parcours.acces" or module.startswith("parcours.acces."):
                fautes.append(f"{chemin.relative_to(RACINE)}:{ligne}")
    assert fautes == []


@pytest.mark.parametrize("dossier", ["parcours", "workflows", "config", "demo", "bench"])
def test_aucun_fichier_au_dela_du_plafond(dossier):
    trop_longs = {
        str(chemin.relative_to(RACINE)): n
        for chemin in _modules(dossier)
        if (n := len(chemin.read_text(encoding="utf-8").splitlines())) > LIGNES_MAX
    }
    assert trop_longs == {}


def test_pas_d_ecran_dans_le_domaine():
    """Vues, formulaires et URL vivent dans `workflows/` : on cherche la page qui montre X à un
    seul endroit."""
    ecrans = re.compile(r"^(views|forms|urls|form_mixins|admin)(\.py)?$")
    trouves = [
        str(c.relative_to(RACINE))
        for c in (RACINE / "parcours").rglob("*")
        if ecrans.match(c.name) and "migrations" not in c.parts
    ]
    assert trouves == []


@pytest.mark.parametrize("dossier", ["parcours", "workflows", "config", "demo", "bench"])
def test_pas_de_module_a_suffixe(dossier):
    suffixes = [str(c.relative_to(RACINE)) for c in _modules(dossier) if SUFFIXE.match(c.name)]
    assert suffixes == []


@pytest.mark.parametrize(
    ("texte", "regle"),
    [
        ("def f():\n    import workflows.entree\n", "couches"),
        ("from django.views import generic\n", "couches"),
        ("def f():\n    from ..clauses import models\n", "ordre"),
        ("from parcours import acces\n", "acces"),
    ],
)
def test_les_garde_fous_voient_une_faute(monkeypatch, texte, regle):
    """Chaque règle attrape bien sa faute (sinon elle ne prouverait rien) : un faux module de
    `parcours/core/` importe une couche du haut, un écran, une app plus haute en relatif (dans
    une fonction), la politique d'accès."""
    faux = RACINE / "parcours" / "core" / "_faute_pour_le_test.py"
    monkeypatch.setattr("tests.test_architecture._modules", lambda dossier: iter([faux]))
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: texte)
    test = {
        "couches": test_le_domaine_n_importe_ni_les_ecrans_ni_la_configuration,
        "ordre": test_chaque_app_du_domaine_n_importe_que_les_apps_sous_elle,
        "acces": test_aucun_modele_n_importe_la_politique_d_acces,
    }[regle]
    with pytest.raises(AssertionError):
        test()
