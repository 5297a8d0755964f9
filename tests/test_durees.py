"""L'ordre des modules sur les cœurs de `make test` (tests/durees.py)."""

from pathlib import Path
from types import SimpleNamespace

from tests import durees

RACINE = Path(__file__).resolve().parent.parent


def test_chaque_module_note_existe():
    # Un module renommé perdrait sa place en tête sans que rien ne le dise.
    notes = durees.lire()
    assert len(notes) > 20
    assert [chemin for chemin in notes if not (RACINE / chemin).is_file()] == []


def test_les_plus_longs_d_abord_l_ordre_garde_sinon():
    items = [
        SimpleNamespace(nodeid=nodeid)
        for nodeid in (
            "tests/a.py::test_1",
            "tests/b.py::test_1",
            "tests/c.py::test_1",
            "tests/b.py::test_2",
            "tests/d.py::Classe::test_1",
            "tests/a.py::test_2",
        )
    ]
    durees.ordonner(items, {"tests/b.py": 50.0, "tests/d.py": 80.0, "tests/c.py": 1.0})
    assert [item.nodeid for item in items] == [
        "tests/d.py::Classe::test_1",
        "tests/b.py::test_1",
        "tests/b.py::test_2",
        "tests/c.py::test_1",
        "tests/a.py::test_1",
        "tests/a.py::test_2",
    ]


def test_make_test_garde_l_ordre_de_la_collection():
    # Sans --no-loadscope-reorder, pytest-xdist trie les modules par nombre de tests.
    assert "--dist loadfile --no-loadscope-reorder" in (RACINE / "Makefile").read_text()
