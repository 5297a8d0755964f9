import pytest
from django.urls import reverse

from parcours.core.enums import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("referent-inconnu", "motdepasse"),
        ("EXISTANT", "mauvais-mot-de-passe"),
        ("INACTIF", "motdepasse"),
    ],
    ids=["identifiant inconnu", "mauvais mot de passe", "compte désactivé"],
)
def test_echec_de_connexion_un_seul_message_generique(client, monde, username, password):
    user = monde.user(Role.REFERENT)
    if username == "INACTIF":
        user.is_active = False
        user.save()
    if username in ("EXISTANT", "INACTIF"):
        username = user.username
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert response.content.decode().count("Identifiant ou mot de passe incorrect.") == 1
    assert "_auth_user_id" not in client.session


def test_connexion_reussie_mene_a_l_accueil(client, monde):
    user = monde.user(Role.REFERENT)
    response = client.post(reverse("login"), {"username": user.username, "password": "motdepasse"})
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    assert "Mes tâches" in response.content.decode()


@pytest.mark.parametrize("url", ["/app/accueil/", "/app/participants/", "/app/participants/1/"])
def test_pages_exigent_une_connexion(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_deconnexion(client, monde):
    client.force_login(monde.user(Role.REFERENT))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
