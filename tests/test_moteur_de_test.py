"""Le moteur PostgreSQL des tests (config/pg_tests) : la base de test est jetée de force en fin
de suite, même si un fil ou un serveur lancé par un test a gardé une connexion."""

import uuid

import psycopg
import pytest
from django.db import connection


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
