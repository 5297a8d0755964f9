"""Verrouillage après trop d'échecs de connexion (django-axes, docs/securite.md).

Cinq échecs pour un couple identifiant + adresse IP suspendent la connexion de ce couple pendant
15 minutes, même avec le bon mot de passe ; la page le dit en français (statut 429). Les autres
comptes, et le même compte depuis un autre poste, ne sont pas touchés.
"""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from parcours.core.enums import Role

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "motdepasse"
IP = "192.0.2.10"
AUTRE_IP = "192.0.2.99"


def connexion(client, username, password, ip=IP, url=None):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def echouer(client, username, fois, ip=IP):
    return [connexion(client, username, "mauvais-mot-de-passe", ip=ip) for _ in range(fois)]


def est_connecte(client):
    return "_auth_user_id" in client.session


def vieillir_les_echecs(minutes):
    """Simule le temps qui passe : les échecs enregistrés reculent de `minutes`."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
    )


def test_cinq_echecs_verrouillent_meme_avec_le_bon_mot_de_passe(client, monde):
    user = monde.user(Role.REFERENT)
    reponses = echouer(client, user.username, 5)
    assert [r.status_code for r in reponses[:4]] == [200] * 4
    assert reponses[4].status_code == 429

    reponse = connexion(client, user.username, MOT_DE_PASSE)
    assert reponse.status_code == 429
    assert not est_connecte(client)
    page = reponse.content.decode().replace("\xa0", " ")
    assert "Connexion suspendue" in page
    assert "Trop de tentatives de connexion échouées" in page
    assert f"« {user.username} »" in page
    assert "15 minutes" in page
    assert "administrateur de votre PLIE" in page
    assert "Account locked" not in page and "try again" not in page.lower()


def test_apres_le_refroidissement_la_connexion_reussit(client, monde):
    user = monde.user(Role.ANIMATEUR)
    echouer(client, user.username, 5)
    vieillir_les_echecs(14)
    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 429

    vieillir_les_echecs(2)
    reponse = connexion(client, user.username, MOT_DE_PASSE)
    assert reponse.status_code == 302
    assert est_connecte(client)
    # Le succès remet le compteur à zéro.
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_une_tentative_pendant_le_verrouillage_ne_le_prolonge_pas(client, monde):
    user = monde.user(Role.REFERENT)
    echouer(client, user.username, 5)
    vieillir_les_echecs(10)
    assert echouer(client, user.username, 3)[-1].status_code == 429
    vieillir_les_echecs(6)
    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 302


def test_les_autres_comptes_et_les_autres_postes_ne_sont_pas_touches(client, monde):
    verrouille = monde.user(Role.REFERENT)
    voisin = monde.user(Role.ANIMATEUR)
    echouer(client, verrouille.username, 5)

    assert connexion(client, voisin.username, MOT_DE_PASSE).status_code == 302
    client.logout()
    assert connexion(client, verrouille.username, MOT_DE_PASSE, ip=AUTRE_IP).status_code == 302


def test_un_succes_remet_le_compteur_a_zero(client, monde):
    user = monde.user(Role.REFERENT)
    echouer(client, user.username, 4)
    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 302
    client.logout()
    assert [r.status_code for r in echouer(client, user.username, 4)] == [200] * 4
    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 302


def test_la_connexion_a_l_admin_est_verrouillee_aussi(client, monde):
    user = monde.user(Role.ADMIN)
    user.is_staff = True
    user.save()
    echouer(client, user.username, 5)
    reponse = connexion(client, user.username, MOT_DE_PASSE, url=reverse("admin:login"))
    assert reponse.status_code == 429
    assert not est_connecte(client)


def test_l_administrateur_debloque_par_la_commande(client, monde):
    user = monde.user(Role.REFERENT)
    echouer(client, user.username, 5)
    sortie = io.StringIO()
    call_command("axes_reset_username", user.username, stdout=sortie)
    assert sortie.getvalue().strip() == "1 attempts removed."
    assert connexion(client, user.username, MOT_DE_PASSE).status_code == 302
