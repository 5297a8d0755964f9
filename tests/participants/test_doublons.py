import datetime

import pytest

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.participants.doublons import (
    separer_par_perimetre,
    trouver_doublons,
    trouver_doublons_en_lot,
)
from tests.factories import ParticipantFactory, parcours_en

pytestmark = pytest.mark.django_db

NE_LE = datetime.date(1985, 3, 7)


@pytest.fixture
def connue():
    return ParticipantFactory(
        nom="Lefèvre", prenom="Éloïse", date_naissance=NE_LE, commune_insee="47001"
    )


@pytest.mark.parametrize(
    ("nom", "prenom", "date"),
    [
        ("Lefèvre", "Éloïse", NE_LE),
        ("LEFEVRE", "eloise", NE_LE),  # casse et accents
        ("Lefebvre", "Eloise", NE_LE),  # faute de frappe
        ("Lefevbre", "Heloise", NE_LE),  # deux petites fautes
        ("Éloïse", "Lefèvre", NE_LE),  # nom et prénom inversés
        ("Lefèvre", "Éloïse", datetime.date(1985, 7, 3)),  # jour et mois inversés
        ("Lefèvre", "Éloïse", datetime.date(1985, 3, 8)),  # un jour d'écart
    ],
)
def test_doublon_detecte(connue, nom, prenom, date):
    (correspondance,) = trouver_doublons(nom, prenom, date)
    assert correspondance.participant == connue
    assert correspondance.score >= 75


@pytest.mark.parametrize(
    ("nom", "prenom", "date"),
    [
        ("Martin", "Éloïse", NE_LE),  # autre nom, même date
        ("Lefèvre", "Éloïse", datetime.date(1990, 3, 7)),  # même nom, autre personne
        ("Lefèvre", "Jeanne", NE_LE),  # autre prénom
    ],
)
def test_pas_de_faux_doublon(connue, nom, prenom, date):
    assert trouver_doublons(nom, prenom, date) == []


SAISIES = [
    ("Lefèvre", "Éloïse", NE_LE, "47001"),
    ("LEFEVRE", "eloise", NE_LE, ""),
    ("Lefevbre", "Heloise", NE_LE, ""),
    ("Éloïse", "Lefèvre", NE_LE, ""),
    ("Lefèvre", "Éloïse", datetime.date(1985, 7, 3), ""),
    ("Lefèvre", "Éloïse", datetime.date(1985, 3, 8), ""),
    ("Lefèvre", "Éloïse", datetime.date(1995, 3, 7), ""),
    ("Martin", "Éloïse", NE_LE, ""),
    ("Lefèvre", "Éloïse", datetime.date(1990, 3, 7), ""),
    ("Lefèvre", "Jeanne", NE_LE, ""),
    ("Lefevre", "Eloise", NE_LE, ""),
]


def test_la_recherche_en_lot_trouve_la_meme_chose_en_une_requete_par_lot(
    connue, django_assert_num_queries
):
    """La reprise cherche les doublons de centaines de personnes : une requête par lot, mêmes
    candidates et mêmes scores que la recherche personne par personne."""
    ParticipantFactory(nom="Durand", nom_naissance="Lefèvre", prenom="Éloïse", date_naissance=NE_LE)
    ParticipantFactory(nom="Lefèvre", prenom="Éloïse", date_naissance=datetime.date(1995, 3, 7))
    attendus = [trouver_doublons(*saisie) for saisie in SAISIES]
    assert any(attendus) and not all(attendus)
    with django_assert_num_queries(2):
        en_lot = trouver_doublons_en_lot(SAISIES, taille_lot=6)
    assert en_lot == attendus


def test_nom_de_naissance_pris_en_compte():
    mariee = ParticipantFactory(
        nom="Durand", nom_naissance="Lefèvre", prenom="Éloïse", date_naissance=NE_LE
    )
    (correspondance,) = trouver_doublons("Lefevre", "Eloise", NE_LE)
    assert correspondance.participant == mariee


def test_meme_commune_et_date_exacte_classent_en_premier(connue):
    cousine = ParticipantFactory(
        nom="Lefèvre", prenom="Éloïse", date_naissance=datetime.date(1985, 3, 8)
    )
    correspondances = trouver_doublons("Lefèvre", "Éloïse", NE_LE, commune_insee="47001")
    assert [c.participant for c in correspondances] == [connue, cousine]
    assert "même commune" in correspondances[0].raisons
    assert "date de naissance proche (08/03/1985)" in correspondances[1].raisons


def test_hors_perimetre_compte_sans_identite(monde):
    ici = parcours_en(
        monde,
        Statut.PRESCRIT,
        participant=ParticipantFactory(nom="Lefèvre", prenom="Éloïse", date_naissance=NE_LE),
    )
    ailleurs = parcours_en(
        monde,
        Statut.PRESCRIT,
        plie=2,
        participant=ParticipantFactory(nom="Lefebvre", prenom="Eloise", date_naissance=NE_LE),
    )
    correspondances = trouver_doublons("Lefevre", "Eloise", NE_LE)
    assert {c.participant for c in correspondances} == {ici.participant, ailleurs.participant}
    visibles, hors_perimetre = separer_par_perimetre(
        correspondances, acces.participants_visibles(monde.user(Role.ANIMATEUR))
    )
    assert [c.participant for c in visibles] == [ici.participant]
    assert hors_perimetre == 1
