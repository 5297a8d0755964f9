import pytest

from parcours.core.enums import Role
from parcours.reprise.correspondance import lire_correspondance
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
