"""Journal des connexions : connexion, échec, verrouillage, déconnexion (parcours.tracabilite).

Chaque événement écrit une trace avec le compte, l'identifiant, l'adresse IP et la page ; pour
un échec, l'identifiant saisi (tronqué), jamais le mot de passe. `plie` reste vide : un compte
peut adhérer à plusieurs PLIE.
"""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from parcours.core.enums import Role
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.securite.test_verrouillage import IP, MOT_DE_PASSE, connexion, echouer

pytestmark = pytest.mark.django_db


def traces(type_trace):
    return list(Trace.objects.filter(type=type_trace).order_by("id"))


def test_une_connexion_est_tracee(client, monde):
    user = monde.user(Role.REFERENT)
    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 302
    (trace,) = traces(TypeTrace.CONNEXION)
    assert (trace.user, trace.identifiant, trace.ip) == (user, user.username, IP)
    assert trace.chemin == reverse("login")
    assert trace.plie is None


def test_un_echec_garde_l_identifiant_et_le_compte_jamais_le_mot_de_passe(client, monde):
    user = monde.user(Role.ANIMATEUR)
    connexion(client, user.username, "mot-de-passe-essaye")
    (trace,) = traces(TypeTrace.ECHEC_CONNEXION)
    assert (trace.user, trace.identifiant, trace.ip, trace.detail) == (
        user,
        user.username,
        IP,
        "",
    )
    champs = [trace.identifiant, trace.chemin, trace.detail, trace.objet_type, trace.objet_id]
    assert not any("mot-de-passe-essaye" in champ for champ in champs)
    assert not traces(TypeTrace.CONNEXION)


def test_un_identifiant_inconnu_est_trace_sans_compte(client, monde):
    connexion(client, "quelqu.un", "peu-importe")
    (trace,) = traces(TypeTrace.ECHEC_CONNEXION)
    assert (trace.user, trace.identifiant, trace.detail) == (
        None,
        "quelqu.un",
        "identifiant inconnu",
    )


def test_un_compte_desactive_est_signale(client, monde):
    user = monde.user(Role.REFERENT)
    user.is_active = False
    user.save()
    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 200
    (trace,) = traces(TypeTrace.ECHEC_CONNEXION)
    assert (trace.user, trace.detail) == (user, "compte désactivé")


def test_l_identifiant_saisi_est_tronque_et_nettoye(monde):
    requete = RequestFactory().post(reverse("login"), REMOTE_ADDR=IP)
    # Un échec sur un poste déjà connecté n'est pas attribué au compte connecté.
    requete.user = monde.user(Role.DIRECTION)
    assert authenticate(requete, username="x\n" + "y" * 300, password="z") is None
    (trace,) = traces(TypeTrace.ECHEC_CONNEXION)
    assert trace.identifiant == "x " + "y" * 148
    assert trace.user is None


def test_le_verrouillage_est_trace_puis_chaque_tentative_refusee(client, monde):
    user = monde.user(Role.REFERENT)
    echouer(client, user.username, 5)
    assert len(traces(TypeTrace.ECHEC_CONNEXION)) == 5
    (verrou,) = traces(TypeTrace.VERROUILLAGE)
    assert (verrou.user, verrou.identifiant, verrou.ip) == (user, user.username, IP)
    assert verrou.detail == (
        "5 échecs : connexion suspendue 15 minutes pour cet identifiant depuis cette adresse"
    )

    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 429
    assert len(traces(TypeTrace.ECHEC_CONNEXION)) == 5
    assert [t.detail for t in traces(TypeTrace.VERROUILLAGE)][1:] == [
        "tentative refusée pendant le verrouillage"
    ]
    assert not traces(TypeTrace.CONNEXION)


def test_une_deconnexion_est_tracee(client, monde):
    user = monde.user(Role.CRE)
    client.force_login(user)
    client.post(reverse("logout"), REMOTE_ADDR=IP)
    (trace,) = traces(TypeTrace.DECONNEXION)
    assert (trace.user, trace.identifiant, trace.ip) == (user, user.username, IP)


def test_une_deconnexion_sans_session_n_ecrit_rien(client, db):
    client.post(reverse("logout"))
    assert not traces(TypeTrace.DECONNEXION)
