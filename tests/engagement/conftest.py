import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parcours.accompagnement.chemins import PDF_MINIMAL, QUESTIONNAIRE_TYPE
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import TransitionParcours
from parcours.referentiel.models import Referentiel
from parcours.referentiel.services import lire_fichier
from tests.documents import echantillons
from tests.factories import parcours_en

DOSSIER_REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"
# Les référentiels du dépôt : avec (flandre-lys, technowest) ou sans l'équipe d'animation.
CODES_REFERENTIELS = ["agenais", "bordeaux", "dijon", "flandre-lys", "technowest"]
AVEC_ANIMATION = {"flandre-lys", "technowest"}

# De vraies images : le contenu est vérifié au dépôt (parcours/core/fichiers.py).
PNG_MINIMAL = echantillons.PNG
JPEG_MINIMAL = echantillons.JPEG


def section_engagement(code: str) -> dict:
    return lire_fichier(DOSSIER_REFERENTIELS / f"{code}.yaml")["engagement"]


def appliquer_referentiel(plie, engagement: dict | None, date_effet=datetime.date(2020, 1, 1)):
    """Une version de référentiel du PLIE de test portant cette section `engagement`."""
    contenu = {} if engagement is None else {"engagement": engagement}
    return Referentiel.objects.update_or_create(
        plie=plie, date_effet=date_effet, defaults={"contenu": contenu}
    )[0]


def fichier(nom="copie.pdf", contenu=PDF_MINIMAL):
    return SimpleUploadedFile(nom, contenu)


def dater_admission(parcours, jours: int):
    """Recule la décision d'admission de `jours` jours (l'historique fait foi)."""
    instant = timezone.now() - datetime.timedelta(days=jours)
    TransitionParcours.objects.filter(parcours=parcours, transition="admettre").update(at=instant)
    return timezone.localdate(instant)


@pytest.fixture(params=CODES_REFERENTIELS)
def code_referentiel(request, monde):
    appliquer_referentiel(monde.plie1, section_engagement(request.param))
    return request.param


@pytest.fixture
def admis(monde):
    """Un parcours admis du PLIE 1 (structure A), engagement non commencé."""
    return parcours_en(monde, Statut.ADMIS, engagement=False)


@pytest.fixture
def questionnaire_complet():
    return {**QUESTIONNAIRE_TYPE, "date_entree": timezone.localdate()}
