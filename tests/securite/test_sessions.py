"""Durée des sessions : fermée avec le navigateur et au plus 8 heures (réglables), cookie
HttpOnly et SameSite=Lax."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from parcours.core.enums import Role
from tests.securite.test_verrouillage import MOT_DE_PASSE, connexion

pytestmark = pytest.mark.django_db

RACINE = Path(__file__).resolve().parent.parent.parent
HUIT_HEURES = 8 * 3600


def cookie_de_session(reponse):
    return reponse.cookies["sessionid"]


def test_le_cookie_de_session_meurt_avec_le_navigateur(client, monde):
    reponse = connexion(client, monde.user(Role.REFERENT).username, MOT_DE_PASSE)
    assert reponse.status_code == 302
    cookie = cookie_de_session(reponse)
    # Ni Max-Age ni Expires : un cookie de session du navigateur.
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Côté serveur, la session expire au plus tard 8 heures après la connexion.
    session = Session.objects.get(session_key=cookie.value)
    reste = (session.expire_date - timezone.now()).total_seconds()
    assert HUIT_HEURES - 60 < reste <= HUIT_HEURES


def test_au_dela_de_la_duree_la_session_ne_vaut_plus(client, monde):
    reponse = connexion(client, monde.user(Role.REFERENT).username, MOT_DE_PASSE)
    accueil = reverse("accueil:index")
    assert client.get(accueil).status_code == 200
    Session.objects.filter(session_key=cookie_de_session(reponse).value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    reponse = client.get(accueil)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("login"))


def test_une_duree_persistante_donne_un_cookie_date(client, monde, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False
    settings.SESSION_COOKIE_AGE = 3600
    cookie = cookie_de_session(connexion(client, monde.user(Role.REFERENT).username, MOT_DE_PASSE))
    assert cookie["max-age"] == 3600
    assert cookie["expires"] != ""


def reglages(**env):
    """Les réglages de session lus par config.settings dans un processus neuf."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE]))"
    )
    environnement = {
        **base,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "postgresql://plie@db.invalid:5432/plie",
        **env,
    }
    resultat = subprocess.run(
        [sys.executable, "-c", code],
        cwd=RACINE,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultat.returncode == 0, resultat.stderr
    return json.loads(resultat.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "attendu"),
    [
        ({}, [HUIT_HEURES, True, True, "Lax"]),
        (
            {"DJANGO_SESSION_COOKIE_AGE": "1800", "DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE": "0"},
            [1800, False, True, "Lax"],
        ),
    ],
    ids=["par défaut", "depuis l'environnement"],
)
def test_la_duree_se_regle_par_l_environnement(env, attendu):
    assert reglages(**env) == attendu
