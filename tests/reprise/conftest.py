import pytest

from parcours.core.enums import Role
from parcours.reprise.correspondance import lire_correspondance
from parcours.reprise.service import reprendre
from tests.reprise import export, export_clauses
from tests.reprise.export import CORRESPONDANCE_VIESION


@pytest.fixture
def viesion():
    return lire_correspondance(CORRESPONDANCE_VIESION.read_text(encoding="utf-8"))


@pytest.fixture
def referents(monde):
    """Deux référents du PLIE 1 (structures A et B), désignés dans l'export par identifiant et
    par courriel."""
    a = monde.user(Role.REFERENT, "a", 1)
    b = monde.user(Role.REFERENT, "b", 1)
    return a, b


# — Clauses sociales (tests/reprise/test_clauses*.py) —

PARTICIPANTS_CLAUSES = 30


@pytest.fixture
def abc():
    texte = export_clauses.CORRESPONDANCE_ABC_CLAUSE.read_text(encoding="utf-8")
    return lire_correspondance(texte)


@pytest.fixture
def facilitateur(monde):
    return monde.user(Role.FACILITATEUR)


@pytest.fixture
def viesion_repris(monde, referents, viesion, tmp_path):
    """Les participants VIeSION (chacun avec un parcours) repris d'abord ; leurs n° VIeSION."""
    a, b = referents
    participants, parcours = export.generer(PARTICIPANTS_CLAUSES, referents=(a.username, b.email))
    reprendre(monde.plie1, viesion, export.ecrire_export(tmp_path / "vs", participants, parcours))
    return [p["N° participant"] for p in participants]


@pytest.fixture
def fichiers(facilitateur, viesion_repris):
    return export_clauses.generer(facilitateur.username, viesion_repris)
