import pytest

from parcours.core.enums import Role


@pytest.fixture
def admin(client, monde):
    compte = monde.user(Role.ADMIN)
    client.force_login(compte)
    return compte


@pytest.fixture
def referent(monde):
    return monde.user(Role.REFERENT, "a", 1)
