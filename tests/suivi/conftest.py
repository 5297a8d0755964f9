import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parcours.accompagnement.chemins import PDF_MINIMAL
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.referentiel.models import Referentiel
from tests.factories import parcours_en

# Un petit catalogue : un accueil non compté, une étape « une preuve parmi », une formation
# (emploi_ou_formation) qui exige toutes ses preuves.
CATALOGUE = [
    {
        "code": "accueil",
        "libelle": "Accueil / accompagnement",
        "categorie": "1 Accueil, accompagnement",
        "compte": False,
        "preuves": [{"code": "compte-rendu", "libelle": "Compte rendu"}],
    },
    {
        "code": "bilan-competences",
        "libelle": "Bilan de compétences",
        "categorie": "2 Orientation, mobilisation, préqualification",
        "preuves": [
            {"code": "attestation", "libelle": "Attestation"},
            {"code": "compte-rendu", "libelle": "Compte rendu"},
            {"code": "mail", "libelle": "Courriel"},
        ],
    },
    {
        "code": "formation-qualifiante",
        "libelle": "Formation qualifiante",
        "categorie": "4 Accès à la formation",
        "emploi_ou_formation": True,
        "preuves_exigees": "toutes",
        "preuves": [
            {"code": "fiche-prescription", "libelle": "Fiche de prescription"},
            {"code": "attestation", "libelle": "Attestation de stage"},
        ],
    },
]
SUIVI = {
    "suspension_mois": 3,
    "absence_injustifiee": [
        {"action": "courrier", "libelle": "Envoyer un courrier", "delai_jours": 5},
        {"action": "appel", "libelle": "Appeler la personne", "delai_jours": 12},
    ],
}


def appliquer_referentiel(
    plie, etapes=CATALOGUE, suivi=SUIVI, date_effet=datetime.date(2020, 1, 1)
):
    contenu = {}
    if etapes is not None:
        contenu["etapes"] = etapes
    if suivi is not None:
        contenu["suivi"] = suivi
    return Referentiel.objects.update_or_create(
        plie=plie, date_effet=date_effet, defaults={"contenu": contenu}
    )[0]


def pdf(nom="preuve.pdf", contenu=PDF_MINIMAL):
    return SimpleUploadedFile(nom, contenu)


@pytest.fixture
def catalogue(monde):
    appliquer_referentiel(monde.plie1)
    appliquer_referentiel(monde.plie2)


@pytest.fixture
def dossier(monde, catalogue):
    """Un parcours en accompagnement du PLIE 1, structure A."""
    return parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)


@pytest.fixture
def referent(monde):
    return monde.user(Role.REFERENT)


@pytest.fixture
def animateur(monde):
    return monde.user(Role.ANIMATEUR)
