"""Les frontières du référentiel : seul parcours/referentiel/ lit le contenu brut d'une version
(les autres passent par l'accesseur typé de chaque section), le noyau n'importe aucune section,
les sections n'importent pas la validation qui les énumère, et le référentiel n'importe aucune
application au-dessus de lui (seulement `parcours.core`)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from parcours.referentiel import validation
from tests.imports import arbre as _arbre
from tests.imports import imports as _imports
from tests.imports import modules as _modules

RACINE = Path(settings.BASE_DIR)
REFERENTIEL = RACINE / "parcours" / "referentiel"


def lectures_du_contenu(chemin: Path, racine: Path = RACINE) -> list[str]:
    """Les endroits du fichier qui lisent le contenu brut d'un référentiel : l'attribut
    `.contenu`, ou une recherche `contenu__…` dans une requête."""
    trouvees = []
    for noeud in ast.walk(_arbre(chemin)):
        if isinstance(noeud, ast.Attribute) and noeud.attr == "contenu":
            trouvees.append(f"{chemin.relative_to(racine)}:{noeud.lineno}: .contenu")
        elif isinstance(noeud, ast.keyword) and (noeud.arg or "").startswith("contenu__"):
            trouvees.append(f"{chemin.relative_to(racine)}:{noeud.lineno}: {noeud.arg}=")
        elif (
            isinstance(noeud, ast.Constant)
            and isinstance(noeud.value, str)
            and noeud.value.startswith("contenu__")
        ):
            trouvees.append(f"{chemin.relative_to(racine)}:{noeud.lineno}: {noeud.value!r}")
    return trouvees


def test_seul_le_referentiel_lit_le_contenu_brut():
    dossiers = (RACINE / "parcours", RACINE / "workflows", RACINE / "config")
    fautes = [
        lecture
        for chemin in _modules(*dossiers)
        if REFERENTIEL not in chemin.parents
        for lecture in lectures_du_contenu(chemin)
    ]
    assert fautes == [], "lire une section par son accesseur (sections.<section>.de) :\n" + (
        "\n".join(fautes)
    )


def test_la_garde_voit_les_lectures_d_avant_les_accesseurs(tmp_path):
    chemin = tmp_path / "ancien.py"
    chemin.write_text(
        "def f(referentiel, qs):\n"
        "    section = (referentiel.contenu if referentiel else {}).get('delais')\n"
        "    qs = qs.filter(contenu__sortie__isnull=False)\n"
        "    return qs.values('contenu__delais')\n",
        encoding="utf-8",
    )
    assert sorted(lectures_du_contenu(chemin, tmp_path)) == [
        "ancien.py:2: .contenu",
        "ancien.py:3: contenu__sortie__isnull=",
        "ancien.py:4: 'contenu__delais'",
    ]


def test_le_referentiel_n_importe_que_le_noyau_du_domaine():
    fautes = [
        f"{chemin.relative_to(RACINE)} importe {nom}"
        for chemin in _modules(REFERENTIEL)
        for nom in _imports(chemin)
        if nom.split(".")[0] in ("parcours", "workflows", "config")
        and not nom.startswith(("parcours.referentiel", "parcours.core"))
    ]
    assert fautes == []


@pytest.mark.parametrize(
    "chemin",
    [REFERENTIEL / "noyau.py", REFERENTIEL / "calendrier.py", *_modules(REFERENTIEL / "sections")],
    ids=lambda c: str(c.relative_to(REFERENTIEL)),
)
def test_une_seule_direction_noyau_sections_validation(chemin):
    interdits = ["parcours.referentiel.validation", "parcours.referentiel.services"]
    interdits += ["parcours.referentiel.apercu", "parcours.referentiel.commandes"]
    if chemin.name in ("noyau.py", "calendrier.py"):
        interdits.append("parcours.referentiel.sections")
    fautes = [nom for nom in _imports(chemin) if nom.startswith(tuple(interdits))]
    assert fautes == []


@pytest.mark.parametrize("section", validation.SECTIONS, ids=lambda s: s.CLE)
def test_chaque_section_declare_sa_cle_et_son_validateur(section):
    assert isinstance(section.CLE, str) and isinstance(section.OBLIGATOIRE, bool)
    assert callable(section.valider)
    # Un accesseur typé : `de(plie, date)` (les territoires, recopiés en base à l'import, se
    # lisent d'un contenu).
    assert callable(getattr(section, "de", None)) or section.CLE == "territoires"
    assert callable(section.du_contenu)
