"""Après une reprise (des personnes à deux parcours, le plus ancien sorti), chaque personne a un
dernier parcours marqué dans le PLIE : le plus récent (`Parcours.dernier_du_plie`)."""

import pytest

from parcours.accompagnement.models import Parcours
from parcours.reprise.service import reprendre
from tests.participants.test_dernier_parcours import attendus, marques
from tests.reprise.export import ecrire_export, generer


@pytest.mark.django_db
def test_apres_reprise(monde, referents, viesion, tmp_path):
    a, b = referents
    participants, parcours = generer(40, referents=(a.username, b.email))
    reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "vs", participants, parcours))
    # Une personne sur cinq a deux parcours : le plus récent est le dernier.
    assert Parcours.objects.count() > Parcours.objects.filter(dernier_du_plie=True).count() == 40
    assert marques() == attendus()
