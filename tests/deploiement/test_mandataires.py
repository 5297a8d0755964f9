"""L'adresse du client derrière le répartiteur, sous gunicorn comme en production
(config/mandataires.py, docs/securite.md « Production ») : un client qui parle directement au
nœud et change d'adresse dans `X-Forwarded-For` à chaque essai reste bloqué ; derrière le
répartiteur de confiance, l'adresse ajoutée par lui est celle du verrouillage, une adresse
écrite par le client ne contourne rien et un autre poste n'est pas bloqué."""

from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string

from bench.production import JETON_CSRF
from parcours.core.enums import Role
from tests.deploiement.serveurs import Navigateur, environnement, serveurs, url_de_la_base

MOT_DE_PASSE = "derriere-le-repartiteur"
CLIENT, AUTRE_POSTE = "203.0.113.7", "198.51.100.9"


@pytest.fixture
def compte(monde):
    user = monde.user(Role.REFERENT)
    # Haché comme en production (les réglages de test utilisent MD5, inconnu des serveurs).
    user.password = PBKDF2PasswordHasher().encode(MOT_DE_PASSE, get_random_string(16))
    user.save(update_fields=["password"])
    return user


def _connexion(port, username, password, xff):
    navigateur = Navigateur()
    entetes = {"X-Forwarded-For": xff}
    reponse, contenu = navigateur.requete(port, "GET", "/connexion/", entetes=entetes)
    assert reponse.status == 200, reponse.status
    champs = {
        "csrfmiddlewaretoken": JETON_CSRF.search(contenu.decode()).group(1),
        "username": username,
        "password": password,
    }
    entetes["Content-Type"] = "application/x-www-form-urlencoded"
    reponse, _ = navigateur.requete(
        port, "POST", "/connexion/", urlencode(champs).encode(), entetes
    )
    return reponse.status


@pytest.mark.django_db(transaction=True)
def test_x_forwarded_for_sous_gunicorn(tmp_path, compte):
    env = environnement(url_de_la_base(connection.settings_dict), tmp_path)
    # Nœud A : le répartiteur de confiance est ailleurs (10.9.9.9) ; ce test, sur la boucle
    # locale, est un client direct. Nœud B : le répartiteur, c'est la boucle locale.
    direct = env | {"PLIE_MANDATAIRES_DE_CONFIANCE": "10.9.9.9"}
    derriere = env | {"PLIE_MANDATAIRES_DE_CONFIANCE": "127.0.0.1"}
    for nom in ("a", "b"):
        (tmp_path / nom).mkdir()
    with serveurs(1, direct, tmp_path / "a") as (noeud_a,):
        statuts = [
            _connexion(noeud_a, compte.username, "mauvais", f"192.0.2.{i}") for i in range(5)
        ]
        assert statuts == [200, 200, 200, 200, 429]
        assert _connexion(noeud_a, compte.username, MOT_DE_PASSE, "192.0.2.99") == 429
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    AccessAttempt.objects.all().delete()
    with serveurs(1, derriere, tmp_path / "b") as (noeud_b,):
        for i in range(5):
            statut = _connexion(noeud_b, compte.username, "mauvais", f"192.0.2.{i}, {CLIENT}")
        assert statut == 429
        # Une autre adresse écrite par le client, la vraie ajoutée par le répartiteur : bloqué.
        assert _connexion(noeud_b, compte.username, MOT_DE_PASSE, f"192.0.2.99, {CLIENT}") == 429
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
        # Un autre poste derrière le même répartiteur : pas touché.
        assert _connexion(noeud_b, compte.username, MOT_DE_PASSE, AUTRE_POSTE) == 302
