from tests.workflows.conftest import acteurs  # noqa: F401 (fixture partagée)
