"""Les invariants que la base tient elle-même, même si un service était contourné."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import StatutSession, TypeCommission, TypeDecision
from parcours.commissions.models import Decision, InscriptionSession, SessionCommission
from tests.commissions.conftest import dans

pytestmark = pytest.mark.django_db


def echoue(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(**kwargs)


@pytest.fixture
def inscrit(commission):
    session = commission.session()
    parcours = commission.inscrit(session)
    return session, parcours


def test_une_seule_decision_par_dossier_et_session(commission, inscrit):
    session, parcours = inscrit
    Decision.objects.create(
        session=session,
        parcours=parcours,
        type=TypeDecision.AJOURNE,
        motif="À revoir",
        par=commission.president,
    )
    echoue(
        session=session,
        parcours=parcours,
        type=TypeDecision.REFUSE,
        motif="Non",
        par=commission.membre,
    )
    assert Decision.objects.count() == 1


def test_une_decision_porte_sur_un_dossier_de_l_ordre_du_jour(commission, inscrit):
    session, _ = inscrit
    ailleurs = commission.dossier(Statut.EN_COMMISSION_ENTREE)
    echoue(
        session=session,
        parcours=ailleurs,
        type=TypeDecision.REFUSE,
        motif="Non",
        par=commission.president,
    )


def test_un_dossier_decide_ne_quitte_pas_l_ordre_du_jour(commission, inscrit):
    session, parcours = inscrit
    Decision.objects.create(
        session=session,
        parcours=parcours,
        type=TypeDecision.REFUSE,
        motif="Non",
        par=commission.president,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        InscriptionSession.objects.filter(session=session, parcours=parcours).delete()


@pytest.mark.parametrize("type_decision", [TypeDecision.AJOURNE, TypeDecision.REFUSE])
def test_ajournement_et_refus_sont_motives(commission, inscrit, type_decision):
    session, parcours = inscrit
    echoue(session=session, parcours=parcours, type=type_decision, par=commission.president)


def test_admission_designe_referent_et_structure_et_elle_seule(commission, inscrit):
    session, parcours = inscrit
    echoue(session=session, parcours=parcours, type=TypeDecision.ADMIS, par=commission.president)
    echoue(
        session=session,
        parcours=parcours,
        type=TypeDecision.REFUSE,
        motif="Non",
        referent=commission.referent,
        structure=commission.monde.structure("operateur"),
        par=commission.president,
    )


def test_type_de_decision_connu(commission, inscrit):
    session, parcours = inscrit
    echoue(
        session=session, parcours=parcours, type="peut_etre", motif="?", par=commission.president
    )


def test_session_cloturee_a_son_proces_verbal(commission):
    session = commission.session()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionCommission.objects.filter(pk=session.pk).update(
            statut=StatutSession.CLOTUREE, cloturee_le=timezone.now()
        )


def test_pas_deux_sessions_au_meme_creneau_meme_sans_territoire(commission):
    session = commission.session()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionCommission.objects.create(
            plie=session.plie, territoire=None, type=TypeCommission.ENTREE, date=session.date
        )
    # Un autre type au même moment reste possible.
    SessionCommission.objects.create(
        plie=session.plie, territoire=None, type=TypeCommission.SORTIE, date=session.date
    )


def test_un_dossier_une_fois_par_session(commission, inscrit):
    session, parcours = inscrit
    with pytest.raises(IntegrityError), transaction.atomic():
        InscriptionSession.objects.create(
            session=session, parcours=parcours, objet="entree", ordre=9
        )


def test_libelle_de_session_en_heure_de_paris(commission):
    session = commission.session(jours=3)
    assert session.libelle == f"Commission d'entrée du {dans(3):%d/%m/%Y} à 14:00"
    assert str(session.date_locale.tzinfo) == "Europe/Paris"
