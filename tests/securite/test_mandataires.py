"""L'adresse du client derrière le répartiteur (config/mandataires.py, docs/securite.md) : le
verrouillage des connexions (django-axes) et le journal lisent l'adresse du client posée par un
répartiteur **de confiance** ; un `X-Forwarded-For` écrit par le client lui-même ne contourne pas
le blocage, qu'il vienne en direct ou à travers le répartiteur."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.mandataires import adresse_du_client, reseaux_de_confiance
from parcours.core.enums import Role
from parcours.tracabilite.models import Trace
from tests.securite.test_verrouillage import MOT_DE_PASSE, est_connecte

pytestmark = pytest.mark.django_db

REPARTITEUR = "10.0.0.5"
CLIENT = "203.0.113.7"
AUTRE_CLIENT = "198.51.100.9"


def _essai(client, username, password, remote, xff=None):
    entetes = {"REMOTE_ADDR": remote}
    if xff is not None:
        entetes["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(reverse("login"), {"username": username, "password": password}, **entetes)


@pytest.fixture
def repartiteur(settings):
    settings.PLIE_MANDATAIRES_DE_CONFIANCE = [REPARTITEUR, "10.0.1.0/24"]


RESEAUX = reseaux_de_confiance((REPARTITEUR, "10.0.1.0/24"))


@pytest.mark.parametrize(
    ("remote", "xff", "attendu"),
    [
        # Client direct : son en-tête n'est jamais lu.
        (CLIENT, "1.2.3.4", CLIENT),
        # Par le répartiteur : l'adresse qu'il a ajoutée (la plus à droite).
        (REPARTITEUR, CLIENT, CLIENT),
        # Le client a écrit une fausse adresse : elle est à gauche de celle du répartiteur.
        (REPARTITEUR, f"1.2.3.4, {CLIENT}", CLIENT),
        # Deux répartiteurs de confiance en chaîne : on les saute.
        (REPARTITEUR, f"1.2.3.4, {CLIENT}, 10.0.1.20", CLIENT),
        # Rien d'utilisable : l'adresse du répartiteur, jamais une adresse inventée.
        (REPARTITEUR, "", REPARTITEUR),
        (REPARTITEUR, f"{CLIENT}, n'importe quoi", REPARTITEUR),
        (REPARTITEUR, "10.0.1.20", REPARTITEUR),
        ("2001:db8::1", "1.2.3.4", "2001:db8::1"),
    ],
)
def test_adresse_du_client(remote, xff, attendu):
    assert adresse_du_client({"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": xff}, RESEAUX) == (
        attendu
    )


def test_sans_reglage_l_entete_n_est_lu_pour_personne():
    meta = {"REMOTE_ADDR": REPARTITEUR, "HTTP_X_FORWARDED_FOR": CLIENT}
    assert adresse_du_client(meta, reseaux_de_confiance(())) == REPARTITEUR


def test_reglage_illisible_arrete_le_demarrage():
    with pytest.raises(ImproperlyConfigured, match="ni une adresse IP ni un réseau"):
        reseaux_de_confiance(("10.0.0.300",))
    assert reseaux_de_confiance(("10.0.1.7/24",)) == (ipaddress.ip_network("10.0.1.0/24"),)


def test_client_direct_qui_change_de_x_forwarded_for_reste_bloque(client, monde, repartiteur):
    user = monde.user(Role.REFERENT)
    reponses = [
        _essai(client, user.username, "mauvais", CLIENT, xff=f"192.0.2.{i}") for i in range(5)
    ]
    assert reponses[-1].status_code == 429
    # Le bon mot de passe, avec encore une autre adresse inventée : toujours bloqué.
    reponse = _essai(client, user.username, MOT_DE_PASSE, CLIENT, xff="192.0.2.200")
    assert reponse.status_code == 429
    assert not est_connecte(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}


def test_derriere_le_repartiteur_une_adresse_usurpee_ne_contourne_pas(client, monde, repartiteur):
    user = monde.user(Role.REFERENT)
    for i in range(5):
        # Le client écrit une adresse différente à chaque essai ; le répartiteur ajoute la vraie.
        reponse = _essai(client, user.username, "mauvais", REPARTITEUR, f"192.0.2.{i}, {CLIENT}")
    assert reponse.status_code == 429
    reponse = _essai(client, user.username, MOT_DE_PASSE, REPARTITEUR, f"192.0.2.99, {CLIENT}")
    assert reponse.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
    # Le même compte depuis un autre poste, par le même répartiteur : pas touché (verrouillage
    # par couple identifiant + adresse du client, pas + adresse du répartiteur).
    reponse = _essai(client, user.username, MOT_DE_PASSE, REPARTITEUR, AUTRE_CLIENT)
    assert reponse.status_code == 302
    assert est_connecte(client)
    # Le journal des connexions porte l'adresse du client, pas celle du répartiteur.
    assert Trace.objects.filter(ip=AUTRE_CLIENT).exists()
    assert not Trace.objects.filter(ip=REPARTITEUR).exists()


def test_sans_reglage_tous_les_clients_du_repartiteur_ont_son_adresse(client, monde):
    """Le réglage par défaut ne lit pas l'en-tête (sûr pour un nœud exposé) : c'est ce que le
    réglage `PLIE_MANDATAIRES_DE_CONFIANCE` corrige derrière un répartiteur."""
    user = monde.user(Role.REFERENT)
    for i in range(5):
        _essai(client, user.username, "mauvais", REPARTITEUR, f"192.0.2.{i}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {REPARTITEUR}
