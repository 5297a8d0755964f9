import pytest

from parcours.core.enums import Role, TypeStructure
from parcours.core.models import PLIE, Structure, Territoire
from tests import durees
from tests.demo_du_module import bases_demo  # noqa: F401 (fixture de session)
from tests.factories import membre


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
        # Créé pour presque chaque test : une requête par table (3 au lieu de 22 ; ni save() ni
        # signal sur ces modèles, les contraintes de la base s'appliquent pareil).
        self.plie1, self.plie2 = PLIE.objects.bulk_create(
            [
                PLIE(code="agenais-test", nom="PLIE Test Agenais"),
                PLIE(code="flandre-test", nom="PLIE Test Flandre"),
            ]
        )
        self.territoire1, self.territoire2 = Territoire.objects.bulk_create(
            [
                Territoire(plie=self.plie1, code="t1", nom="Territoire t1"),
                Territoire(plie=self.plie2, code="t2", nom="Territoire t2"),
            ]
        )
        types = {
            "porteur": (TypeStructure.PORTEUR, "Porteur"),
            "operateur": (TypeStructure.OPERATEUR, "Opérateur"),
            "prescripteur": (TypeStructure.PRESCRIPTEUR, "Prescripteur"),
        }
        cles = [
            (plie_num, cle, type_structure)
            for plie_num in (1, 2)
            for cle in ("a", "b")
            for type_structure in types
        ]
        structures = Structure.objects.bulk_create(
            Structure(
                plie=self.plie(plie_num),
                type=types[type_structure][0],
                nom=f"{types[type_structure][1]} {cle} {plie_num}",
            )
            for plie_num, cle, type_structure in cles
        )
        self.structures = dict(zip(cles, structures, strict=True))
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
