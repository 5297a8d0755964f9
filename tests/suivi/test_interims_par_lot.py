"""`expirer_delegations` ensembliste : même résultat, requêtes en nombre constant."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parcours.accompagnement import suivi
from parcours.accompagnement.models import JournalDelegation, ParcoursUserObjectPermission
from parcours.core.enums import Role
from tests.suivi.test_portefeuilles import _interim

pytestmark = pytest.mark.django_db


def test_requetes_independantes_du_nombre_d_interims(monde, dossier, referent, animateur):
    aujourd_hui = timezone.localdate()

    def requetes(n, structure):
        suppleant = monde.user(Role.REFERENT, structure)
        delegations = [_interim(monde, referent, suppleant, animateur) for _ in range(n)]
        assert ParcoursUserObjectPermission.objects.filter(user=suppleant).exists()
        with CaptureQueriesContext(connection) as capture:
            echues = suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=21 + n))
        assert echues == n
        assert not ParcoursUserObjectPermission.objects.filter(user=suppleant).exists()
        assert all(
            d.journal.filter(evenement=JournalDelegation.Evenement.EXPIREE).exists()
            for d in delegations
        )
        # Les intérims échus ne sont plus repris.
        assert suivi.expirer_delegations(aujourd_hui + datetime.timedelta(days=22 + n)) == 0
        return len(capture)

    assert requetes(3, "b") == requetes(30, "b")
