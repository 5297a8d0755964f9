import datetime

import pytest
from django.utils import timezone

from parcours.reporting.periode import periode
from tests.fse.conftest import Operations


@pytest.fixture
def operations(monde):
    return Operations(monde)


@pytest.fixture
def derniers_mois():
    """Les deux derniers mois : les parcours engagés par les tests y entrent (aujourd'hui)."""
    aujourdhui = timezone.localdate()
    return periode(aujourdhui - datetime.timedelta(days=60), aujourdhui)
