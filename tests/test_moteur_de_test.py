"""Le moteur PostgreSQL des tests (config/pg_tests) : la base de test est jetée de force en fin
de suite, même si un fil ou un serveur lancé par un test a gardé une connexion. La démo partagée
(tests/demo_du_module.py) : copies indépendantes d'un module à l'autre, toutes jetées."""

import uuid

import psycopg
import pytest
from django.db import connection

from parcours.core.models import User
from parcours.participants.models import Participant
from tests.demo_du_module import TAILLE, BasesDemo, copier


@pytest.mark.django_db(transaction=True)
def test_la_base_de_test_est_jetee_meme_avec_une_connexion_restee_ouverte():
    nom = f"essai_moteur_{uuid.uuid4().hex[:8]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{nom}"')
    parametres = {**connection.get_connection_params(), "dbname": nom}
    parametres.pop("cursor_factory", None)
    restee_ouverte = psycopg.connect(**parametres)
    try:
        connection.creation._destroy_test_db(nom, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [nom])
            assert cursor.fetchone()[0] == 0
    finally:
        restee_ouverte.close()


def _bases(prefixe):
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{prefixe}%"])
        return {ligne[0] for ligne in cursor.fetchall()}


def test_la_demo_partagee_est_remise_en_l_etat_d_un_module_a_l_autre(bases_demo, django_db_blocker):
    """Ce que fait la fixture de `demo_du_module` pour deux modules à la suite sur un cœur : une
    écriture commitée du premier n'est pas vue du second ; chaque copie est jetée après lui."""
    with django_db_blocker.unblock():
        with bases_demo.copie(complete=True) as premiere:
            assert connection.settings_dict["NAME"] == premiere
            participants = Participant.objects.count()
            assert participants >= 2 * TAILLE
            User.objects.filter(username="referent.agenais").update(last_name="ÉCRIT")
            Participant.objects.filter(pk__in=Participant.objects.values("pk")[:3]).update(
                nom="ÉCRIT"
            )
        assert connection.settings_dict["NAME"] == bases_demo.coeur
        assert not User.objects.filter(username="referent.agenais").exists()
        with bases_demo.copie(complete=True) as seconde:
            assert seconde != premiere
            assert User.objects.get(username="referent.agenais").last_name != "ÉCRIT"
            assert not Participant.objects.filter(nom="ÉCRIT").exists()
            assert Participant.objects.count() == participants
        bases_demo.attendre()
        restantes = _bases(bases_demo.prefixe)
        assert {bases_demo.base, bases_demo.complete} <= restantes
        assert premiere not in restantes and seconde not in restantes


def test_les_bases_de_demo_sont_jetees_en_fin_de_session(bases_demo, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        essai = BasesDemo(tmp_path, prefixe="essai")
        copier(bases_demo.base, essai.base)
        copier(bases_demo.complete, essai.complete)
        with essai.copie(complete=False) as copie:
            assert Participant.objects.count() == 2 * TAILLE
        assert _bases(essai.prefixe) >= {essai.base, essai.complete}
        essai.supprimer_tout()  # ce que fait la fixture de session à sa fin
        assert _bases(essai.prefixe) == set()
        assert copie.startswith(essai.prefixe)
        # La connexion est revenue à la base du cœur, les modèles partagés sont intacts.
        assert connection.settings_dict["NAME"] == bases_demo.coeur
        assert {bases_demo.base, bases_demo.complete} <= _bases(bases_demo.prefixe)
