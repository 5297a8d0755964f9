"""Un jeu pour les extractions : dans le PLIE 1, un dossier de la structure A (nom hostile, pour
la neutralisation des formules) et un de la structure B ; dans le PLIE 2, un dossier voisin. Chacun
a une étape, un entretien, un contrat ; une offre diffusée, une mise en relation et une
candidature sur une clause par PLIE."""

import csv
import datetime
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Entretien, Etape
from parcours.core.enums import Role
from parcours.emploi.enums import TypeContrat
from parcours.emploi.models import Contrat
from parcours.entreprises.services import proposer_candidat
from tests.clauses.factories import BesoinFactory, CandidatExterneFactory, PositionnementFactory
from tests.entreprises.conftest import une_entreprise, une_offre
from tests.factories import ParticipantFactory, parcours_en

HOSTILE = '=HYPERLINK("http://x")'
JOUR = datetime.date(2026, 3, 2)


def contenu(response) -> bytes:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def lire_csv(response) -> list[list[str]]:
    brut = contenu(response)
    assert brut.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(brut.decode("utf-8-sig")), delimiter=";"))


def lire_xlsx(response) -> list[list]:
    classeur = openpyxl.load_workbook(io.BytesIO(contenu(response)))
    return [list(ligne) for ligne in classeur.active.iter_rows(values_only=True)]


def lire(response, format):
    return lire_csv(response) if format == "csv" else lire_xlsx(response)


def suivi(parcours, nombre=1, debut=JOUR):
    """`nombre` étapes, entretiens et contrats au dossier `parcours`."""
    for i in range(nombre):
        jour = debut + datetime.timedelta(days=i)
        Etape.objects.create(
            parcours=parcours,
            type_code="atelier",
            type_libelle="Atelier collectif",
            categorie="Orientation",
            intitule=f"Atelier {i}",
            date_debut=jour,
            statut="en_cours",
            created_by=parcours.referent,
        )
        Entretien.objects.create(
            parcours=parcours,
            date=timezone.make_aware(datetime.datetime.combine(jour, datetime.time(10))),
            canal="physique_individuel",
            auteur=parcours.referent,
        )
        Contrat.objects.create(
            parcours=parcours,
            type=TypeContrat.CDD,
            employeur="Bâtiments de l'Agenais",
            debut=jour,
            fin=jour,  # un jour : jamais de chevauchement d'un appel à l'autre
            heures_hebdo=35,
            created_by=parcours.referent,
        )


@dataclass
class Jeu:
    a: object  # PLIE 1, structure A
    b: object  # PLIE 1, structure B
    voisin: object  # PLIE 2


def _plie(monde, num, nom_a, nom_b=None):
    a = parcours_en(
        monde, Statut.EN_ACCOMPAGNEMENT, plie=num, participant=ParticipantFactory(nom=nom_a)
    )
    b = None
    if nom_b:
        b = parcours_en(
            monde,
            Statut.EN_ACCOMPAGNEMENT,
            plie=num,
            structure="b",
            participant=ParticipantFactory(nom=nom_b),
        )
    for parcours in filter(None, (a, b)):
        suivi(parcours)
    offre = une_offre(monde, "diffusee", plie=num, entreprise=une_entreprise(monde, plie=num))
    proposer_candidat(offre, a, par=monde.user(Role.REFERENT, plie=num))
    besoin = BesoinFactory(
        marche__operation__donneur_ordre__plie=monde.plie(num),
        facilitateur=monde.user(Role.FACILITATEUR, plie=num),
    )
    PositionnementFactory(
        besoin=besoin,
        candidat_externe=CandidatExterneFactory(plie=monde.plie(num), nom=nom_a),
    )
    return a, b


@pytest.fixture
def jeu(monde):
    a, b = _plie(monde, 1, HOSTILE, "Bernard")
    voisin, _ = _plie(monde, 2, "Voisin")
    return Jeu(a=a, b=b, voisin=voisin)
