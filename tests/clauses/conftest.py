import datetime
from pathlib import Path

import pytest
from django.conf import settings

from parcours.core.enums import Role
from parcours.referentiel.models import Referentiel
from parcours.referentiel.services import _json, lire_fichier
from tests.clauses.factories import BesoinFactory, MarcheFactory


def referentiel_avec_clauses(plie, fichier="agenais"):
    """Une version de référentiel pour `plie` : le contenu réel de `referentiels/<fichier>.yaml`
    (section `clauses` comprise), sous l'identité de ce PLIE."""
    contenu = _json(lire_fichier(Path(settings.BASE_DIR) / "referentiels" / f"{fichier}.yaml"))
    contenu["plie"] = {"code": plie.code, "nom": plie.nom}
    return Referentiel.objects.create(
        plie=plie, date_effet=datetime.date(2020, 1, 1), contenu=contenu
    )


class Chantier:
    """Dans chaque PLIE du monde : un marché avec un besoin ouvert suivi par son facilitateur."""

    def __init__(self, monde):
        self.monde = monde
        self.facilitateur = monde.user(Role.FACILITATEUR)
        self.facilitateur2 = monde.user(Role.FACILITATEUR, plie=2)
        self.marche = MarcheFactory(operation__donneur_ordre__plie=monde.plie1)
        self.marche2 = MarcheFactory(operation__donneur_ordre__plie=monde.plie2)
        self.besoin = BesoinFactory(marche=self.marche, facilitateur=self.facilitateur)
        self.besoin2 = BesoinFactory(marche=self.marche2, facilitateur=self.facilitateur2)


@pytest.fixture
def chantier(monde):
    return Chantier(monde)
