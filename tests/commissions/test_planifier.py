"""Planifier les sessions : une à une, ou le calendrier du semestre à la cadence du référentiel."""

import datetime
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from parcours.commissions.enums import StatutSession, TypeCommission
from parcours.commissions.errors import ActionCommissionNonAutorisee, DonneesCommissionInvalides
from parcours.commissions.models import SessionCommission
from parcours.commissions.services import (
    composer_session,
    nom_commission,
    planifier_calendrier,
    planifier_session,
)
from parcours.core.enums import Role
from tests.commissions.conftest import NOM_COMITE, NOM_COMMISSION, dans
from tests.factories import membre

pytestmark = pytest.mark.django_db

AUTORISES = [Role.ANIMATEUR, Role.DIRECTION]
REFUSES = [r for r in Role if r not in AUTORISES]


def test_planifier_une_session(commission):
    session = commission.session(jours=10)
    assert session.statut == StatutSession.PLANIFIEE
    assert session.plie == commission.monde.plie1
    assert session.territoire is None
    assert session.date == dans(10)
    assert session.lieu == "Salle du conseil"
    assert session.president == commission.president
    # Le président est membre de droit.
    assert set(session.membres.all()) == {commission.membre, commission.president}
    assert session.planifiee_par == commission.animateur
    assert nom_commission(session) == NOM_COMMISSION


def test_date_naive_lue_en_heure_de_paris(commission):
    jour = timezone.localdate() + datetime.timedelta(days=5)
    session = planifier_session(
        plie=commission.monde.plie1,
        type=TypeCommission.ENTREE,
        date=datetime.datetime.combine(jour, datetime.time(9, 30)),
        par=commission.animateur,
    )
    assert session.date_locale.hour == 9 and session.date_locale.minute == 30
    assert session.date == timezone.make_aware(
        datetime.datetime.combine(jour, datetime.time(9, 30))
    )


@pytest.mark.parametrize("role", AUTORISES, ids=str)
def test_l_animation_et_la_direction_planifient(commission, role):
    session = planifier_session(
        plie=commission.monde.plie1,
        type=TypeCommission.MIXTE,
        date=dans(3),
        par=commission.monde.user(role),
    )
    assert SessionCommission.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize("role", REFUSES, ids=str)
def test_les_autres_roles_ne_planifient_pas(commission, role):
    with pytest.raises(ActionCommissionNonAutorisee, match="équipe d'animation et de la direction"):
        planifier_session(
            plie=commission.monde.plie1,
            type=TypeCommission.ENTREE,
            date=dans(3),
            par=commission.monde.user(role),
        )
    assert not SessionCommission.objects.exists()


def test_l_animateur_d_un_autre_plie_ne_planifie_pas(commission):
    with pytest.raises(ActionCommissionNonAutorisee):
        planifier_session(
            plie=commission.monde.plie1,
            type=TypeCommission.ENTREE,
            date=dans(3),
            par=commission.monde.user(Role.ANIMATEUR, "a", 2),
        )


@pytest.mark.parametrize(
    ("surcharges", "message"),
    [
        ({"date": dans(-1)}, "est passée : une session se planifie à l'avance"),
        ({"date": datetime.date(2030, 1, 1)}, "date et heure attendues"),
        ({"type": "pleniere"}, "Type de commission inconnu : « pleniere »"),
        ({"territoire": "t2"}, "n'appartient pas au PLIE Test Agenais"),
        ({"territoire": "t1"}, "couvre tout son territoire"),
    ],
)
def test_donnees_invalides(commission, surcharges, message):
    arguments = {
        "plie": commission.monde.plie1,
        "type": TypeCommission.ENTREE,
        "date": dans(3),
        "par": commission.animateur,
    }
    territoires = {"t1": commission.monde.territoire1, "t2": commission.monde.territoire2}
    if "territoire" in surcharges:
        surcharges = {"territoire": territoires[surcharges["territoire"]]}
    arguments.update(surcharges)
    with pytest.raises(DonneesCommissionInvalides, match=message):
        planifier_session(**arguments)
    assert not SessionCommission.objects.exists()


def test_comite_par_territoire_exige_le_territoire(commission):
    with pytest.raises(DonneesCommissionInvalides, match="se tient par territoire"):
        planifier_session(
            plie=commission.monde.plie2,
            type=TypeCommission.ENTREE,
            date=dans(3),
            par=commission.monde.user(Role.ANIMATEUR, "a", 2),
        )
    session = commission.session(plie=2)
    assert session.territoire == commission.monde.territoire2
    assert nom_commission(session) == NOM_COMITE


def test_sans_referentiel_en_vigueur(commission):
    commission.monde.plie1.referentiels.all().delete()
    with pytest.raises(DonneesCommissionInvalides, match="Aucun référentiel n'est en vigueur"):
        commission.session()


def test_deux_sessions_au_meme_creneau_refusees_avec_explication(commission):
    commission.session(jours=4)
    with pytest.raises(DonneesCommissionInvalides, match="déjà planifiée le"):
        commission.session(jours=4)
    assert SessionCommission.objects.count() == 1


@pytest.mark.parametrize("role", [Role.REFERENT, Role.PRESCRIPTEUR, Role.CRE])
def test_un_membre_doit_pouvoir_sieger(commission, role):
    intrus = commission.monde.user(role)
    with pytest.raises(DonneesCommissionInvalides, match="ne peut pas siéger"):
        commission.session(membres=[commission.membre, intrus])
    assert not SessionCommission.objects.exists()


def test_membre_dont_l_adhesion_est_terminee_ne_siege_pas(commission):
    ancien = membre(
        Role.COMMISSION, commission.monde.structure("porteur"), fin=datetime.date(2021, 1, 1)
    )
    with pytest.raises(DonneesCommissionInvalides, match="ne peut pas siéger"):
        commission.session(membres=[ancien])


def test_composer_une_session(commission):
    session = commission.session(membres=[], president=None)
    assert not session.membres.exists()
    autre = commission.autre_membre_de_commission()
    composer_session(
        session,
        par=commission.animateur,
        membres=[autre, commission.direction],
        president=commission.membre,
    )
    session.refresh_from_db()
    assert session.president == commission.membre
    assert set(session.membres.all()) == {autre, commission.direction, commission.membre}
    with pytest.raises(ActionCommissionNonAutorisee):
        composer_session(session, par=commission.president, membres=[])


# — Le calendrier —


def lundi_prochain():
    aujourd_hui = timezone.localdate()
    return aujourd_hui + datetime.timedelta(days=7 - aujourd_hui.weekday())


def test_calendrier_a_la_cadence_du_referentiel(commission):
    debut = lundi_prochain()
    sessions = planifier_calendrier(commission.monde.plie1, debut, par=commission.animateur)
    # 10 séances par an : 5 sur six mois, régulièrement réparties, en semaine, à 14 h.
    assert len(sessions) == 5
    jours = [s.date_locale.date() for s in sessions]
    fin = debut + relativedelta(months=6)
    assert debut <= jours[0] and jours[-1] < fin
    assert all(j.weekday() < 5 for j in jours)
    assert all(s.date_locale.time() == datetime.time(14, 0) for s in sessions)
    ecarts = [(b - a).days for a, b in itertools.pairwise(jours)]
    assert all(33 <= e <= 40 for e in ecarts), ecarts
    assert {s.territoire for s in sessions} == {None}
    assert {s.type for s in sessions} == {TypeCommission.ENTREE}


def test_calendrier_idempotent(commission):
    debut = lundi_prochain()
    assert len(planifier_calendrier(commission.monde.plie1, debut, par=commission.animateur)) == 5
    assert planifier_calendrier(commission.monde.plie1, debut, par=commission.animateur) == []
    assert SessionCommission.objects.count() == 5


def test_calendrier_par_territoire(commission):
    animateur2 = commission.monde.user(Role.ANIMATEUR, "a", 2)
    sessions = planifier_calendrier(
        commission.monde.plie2, lundi_prochain(), par=animateur2, mois=3, heure=datetime.time(10)
    )
    # Comité d'entrée mensuel, par territoire : 3 séances × 2 territoires.
    par_territoire = {}
    for s in sessions:
        par_territoire.setdefault(s.territoire, []).append(s)
    assert set(par_territoire) == {commission.monde.territoire2, commission.territoire2b}
    assert all(len(v) == 3 for v in par_territoire.values())
    assert all(s.date_locale.hour == 10 for s in sessions)


def test_calendrier_compose_les_sessions(commission):
    sessions = planifier_calendrier(
        commission.monde.plie1,
        lundi_prochain(),
        par=commission.animateur,
        mois=1,
        membres=[commission.membre],
        president=commission.president,
    )
    (session,) = sessions
    assert set(session.membres.all()) == {commission.membre, commission.president}


@pytest.mark.parametrize(
    ("debut", "mois", "message"),
    [
        (-1, 6, "ne peut pas commencer dans le passé"),
        (1, 0, "de 1 à 24 mois"),
        (1, 25, "de 1 à 24 mois"),
    ],
)
def test_calendrier_donnees_invalides(commission, debut, mois, message):
    with pytest.raises(DonneesCommissionInvalides, match=message):
        planifier_calendrier(
            commission.monde.plie1,
            timezone.localdate() + datetime.timedelta(days=debut),
            par=commission.animateur,
            mois=mois,
        )
    assert not SessionCommission.objects.exists()


def test_calendrier_reserve_a_l_animation(commission):
    with pytest.raises(ActionCommissionNonAutorisee):
        planifier_calendrier(commission.monde.plie1, lundi_prochain(), par=commission.president)
