"""Invariants des clauses tenus par la base : XOR personne, unicités, mois, heures."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from parcours.clauses.models import HeuresRealisees, Marche, Positionnement
from tests.clauses.factories import (
    BesoinFactory,
    CandidatExterneFactory,
    HeuresRealiseesFactory,
    MarcheFactory,
    OperationFactory,
    PositionnementFactory,
)
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _echoue(nom_contrainte, fonction):
    with pytest.raises(IntegrityError, match=nom_contrainte), transaction.atomic():
        fonction()


def test_marche_copie_le_plie_du_donneur_ordre_et_numero_unique_dans_le_plie():
    marche = MarcheFactory(numero="M-1")
    assert marche.plie_id == marche.operation.donneur_ordre.plie_id
    autre_operation = OperationFactory(donneur_ordre__plie=marche.plie)
    _echoue(
        "marche_numero_unique_par_plie",
        lambda: MarcheFactory(numero="M-1", operation=autre_operation),
    )
    # Le même numéro dans un autre PLIE est permis.
    assert MarcheFactory(numero="M-1").numero == "M-1"
    assert Marche.objects.filter(numero="M-1").count() == 2


def test_positionnement_participant_xor_candidat_externe():
    besoin = BesoinFactory()
    participant = ParticipantFactory()
    externe = CandidatExterneFactory(plie=besoin.marche.plie)
    commun = {"besoin": besoin, "propose_par": besoin.facilitateur, "role_proposant": "referent"}
    _echoue(
        "positionnement_participant_xor_externe",
        lambda: Positionnement.objects.create(
            participant=participant, candidat_externe=externe, **commun
        ),
    )
    _echoue(
        "positionnement_participant_xor_externe",
        lambda: Positionnement.objects.create(**commun),
    )
    assert Positionnement.objects.create(participant=participant, **commun).personne == participant


def test_une_seule_candidature_en_cours_par_besoin_et_personne():
    positionnement = PositionnementFactory()
    _echoue(
        "positionnement_externe_en_cours_unique",
        lambda: PositionnementFactory(
            besoin=positionnement.besoin, candidat_externe=positionnement.candidat_externe
        ),
    )


def test_heures_xor_mois_premier_jour_positives_et_une_ligne_par_mois():
    heures = HeuresRealiseesFactory()
    _echoue(
        "heures_externe_une_ligne_par_mois",
        lambda: HeuresRealiseesFactory(
            marche=heures.marche, candidat_externe=heures.candidat_externe
        ),
    )
    _echoue(
        "heures_mois_premier_jour", lambda: HeuresRealiseesFactory(mois=datetime.date(2025, 4, 2))
    )
    _echoue("heures_positives", lambda: HeuresRealiseesFactory(heures=Decimal("-1")))
    _echoue(
        "heures_participant_xor_externe",
        lambda: HeuresRealiseesFactory(participant=ParticipantFactory()),
    )
    assert HeuresRealisees.objects.count() == 1


def test_numero_du_candidat_externe_et_moins_de_26_ans():
    externe = CandidatExterneFactory(date_naissance=datetime.date(2000, 6, 15))
    assert externe.numero == f"EXT-{externe.pk:06d}"
    assert externe.moins_26(datetime.date(2026, 6, 14))
    assert not externe.moins_26(datetime.date(2026, 6, 15))
