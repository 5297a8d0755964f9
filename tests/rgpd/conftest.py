# Le monde de l'Agenais et de Flandre Lys (référentiels réels) des tests du flux d'entrée.
from tests.workflows.conftest import acteurs  # noqa: F401
