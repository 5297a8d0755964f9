import pytest
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, ParticipationFse
from tests.factories import parcours_en
from tests.fse.conftest import Operations


@pytest.fixture
def operations(monde):
    return Operations(monde)


def entre_le(parcours, jour):
    """Date d'entrée du parcours et de ses participations FSE+ (le tableau lit l'une, le filtre
    par opération l'autre)."""
    Parcours.objects.filter(pk=parcours.pk).update(date_entree=jour)
    ParticipationFse.objects.filter(parcours=parcours).update(date_entree=jour)
    return parcours


def ce_mois(jour=10):
    return timezone.localdate().replace(day=jour)


def dossier(monde, structure="a", plie=1, jour=None, **kw):
    """Un parcours en accompagnement entré ce mois-ci (ou le `jour` donné)."""
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=plie, structure=structure, **kw)
    return entre_le(parcours, jour or ce_mois())
