import pytest

from parcours.core.enums import Role, TypeStructure
from tests import durees
from tests.demo_du_module import bases_demo  # noqa: F401 (fixture de session)
from tests.factories import PLIEFactory, StructureFactory, TerritoireFactory, membre


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Sur les cœurs de pytest-xdist seulement : les plus longs modules d'abord (tests/durees.py).
    if hasattr(config, "workerinput"):
        durees.ordonner(items, durees.lire())


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPRISE_DEPOTS = tmp_path / "reprise"


class Monde:
    """Deux PLIE ; dans le premier, deux opérateurs et deux prescripteurs ; un compte par rôle.

    `monde.user(role)` : compte de la structure A du PLIE 1 ; `structure="b"` : structure B du
    même PLIE ; `plie=2` : le PLIE voisin.
    """

    def __init__(self):
        self.plie1 = PLIEFactory(code="agenais-test", nom="PLIE Test Agenais")
        self.plie2 = PLIEFactory(code="flandre-test", nom="PLIE Test Flandre")
        self.territoire1 = TerritoireFactory(plie=self.plie1, code="t1")
        self.territoire2 = TerritoireFactory(plie=self.plie2, code="t2")
        self.structures = {}
        for plie_num, plie in ((1, self.plie1), (2, self.plie2)):
            for cle in ("a", "b"):
                self.structures[(plie_num, cle, "porteur")] = StructureFactory(
                    plie=plie, type=TypeStructure.PORTEUR, nom=f"Porteur {cle} {plie_num}"
                )
                self.structures[(plie_num, cle, "operateur")] = StructureFactory(
                    plie=plie, type=TypeStructure.OPERATEUR, nom=f"Opérateur {cle} {plie_num}"
                )
                self.structures[(plie_num, cle, "prescripteur")] = StructureFactory(
                    plie=plie, type=TypeStructure.PRESCRIPTEUR, nom=f"Prescripteur {cle} {plie_num}"
                )
        self._users = {}

    def structure(self, type_structure, cle="a", plie=1):
        return self.structures[(plie, cle, type_structure)]

    def user(self, role, structure="a", plie=1):
        key = (role, structure, plie)
        if key not in self._users:
            type_structure = {
                Role.REFERENT: "operateur",
                Role.REFERENT_ETAPE: "operateur",
                Role.PRESCRIPTEUR: "prescripteur",
            }.get(role, "porteur")
            self._users[key] = membre(role, self.structure(type_structure, structure, plie))
        return self._users[key]

    def plie(self, num):
        return self.plie1 if num == 1 else self.plie2

    def territoire(self, num):
        return self.territoire1 if num == 1 else self.territoire2


@pytest.fixture
def monde(db):
    return Monde()


@pytest.fixture
def acteurs(db):
    """Les deux PLIE de la démo, avec leurs référentiels réels (tests/workflows/conftest.py)."""
    from tests.workflows.conftest import Acteurs

    return Acteurs()
