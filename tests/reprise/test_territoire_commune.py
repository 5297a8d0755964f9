"""Le territoire vide d'un parcours repris est déduit de la commune de la personne, comme pour
une prescription saisie ; une commune hors du PLIE le laisse vide (docs/reprise.md)."""

import pytest

from parcours.commissions.services import prochaine_session
from parcours.core.enums import Role
from parcours.core.models import Commune
from parcours.reprise.service import reprendre
from tests.commissions.conftest import Commission
from tests.reprise.test_territoire import _export, _recevables, _repris

pytestmark = pytest.mark.django_db


def test_le_dossier_sans_territoire_arrive_dans_la_seance_de_sa_commune(monde, viesion, tmp_path):
    """PLIE 2, un comité par territoire : le dossier recevable repris sans territoire, dont la
    personne habite une commune de t2b, est rangé en t2b et attend la séance de t2b ; celui
    d'une commune hors du PLIE reste sans territoire."""
    commission = Commission(monde)
    membre = monde.user(Role.COMMISSION, "a", 2)
    commission.session(jours=3, plie=2, membres=[membre], president=membre)
    seance_t2b = commission.session(
        jours=10, plie=2, territoire=commission.territoire2b, membres=[membre], president=membre
    )
    Commune.objects.create(
        plie=monde.plie2, territoire=commission.territoire2b, insee="47999", nom="Layrac"
    )
    # La même commune dans un autre PLIE ne compte pas.
    Commune.objects.create(
        plie=monde.plie1, territoire=monde.territoire1, insee="47001", nom="Agen"
    )
    personnes, dossiers = _recevables(["", ""])
    personnes[0].update({"Code INSEE": "47999", "Commune": "Layrac"})
    personnes[1].update({"Code INSEE": "47001", "Commune": "Agen"})

    reprendre(monde.plie2, viesion, _export(tmp_path / "v1", personnes, dossiers))

    parcours = _repris("R00000")
    assert parcours.territoire == commission.territoire2b
    assert prochaine_session(parcours) == seance_t2b
    assert _repris("R00001").territoire is None


def test_la_colonne_territoire_l_emporte_sur_la_commune(monde, viesion, tmp_path):
    commission = Commission(monde)
    Commune.objects.create(
        plie=monde.plie2, territoire=commission.territoire2b, insee="47999", nom="Layrac"
    )
    personnes, dossiers = _recevables(["t2"])
    personnes[0].update({"Code INSEE": "47999", "Commune": "Layrac"})

    reprendre(monde.plie2, viesion, _export(tmp_path / "v1", personnes, dossiers))

    assert _repris("R00000").territoire.code == "t2"
