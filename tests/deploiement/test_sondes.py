"""Les sondes /sante/ (vivant, sans base) et /pret/ (base, migrations, cache) : sans session,
sans vérification de l'hôte ni redirection HTTPS, sans trace au journal (config/sante.py)."""

import logging

import pytest
from django.db import connection

from parcours.tracabilite.models import Trace

# Une sonde appelle le nœud par son adresse, en HTTP, sans cookie.
SONDE = {"HTTP_HOST": "10.1.2.3:8000"}


def test_sante_repond_sans_base_ni_hote_autorise(client, settings):
    # Sans la marque django_db, la moindre requête SQL ferait échouer le test.
    settings.ALLOWED_HOSTS = ["plie.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    reponse = client.get("/sante/", **SONDE)
    assert reponse.status_code == 200
    assert reponse.content == b"vivant\n"
    assert reponse["Content-Type"].startswith("text/plain")
    assert reponse["Cache-Control"] == "no-store"
    assert not reponse.cookies
    assert "Content-Security-Policy" not in reponse


@pytest.mark.django_db
def test_pret_verifie_la_base_sans_session_ni_trace(client, settings, caplog):
    settings.ALLOWED_HOSTS = ["plie.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    with caplog.at_level(logging.INFO):
        reponse = client.get("/pret/", **SONDE)
        deuxieme = client.get("/pret/", **SONDE)
    assert (reponse.status_code, reponse.content) == (200, b"pret\n")
    assert deuxieme.status_code == 200
    assert not reponse.cookies
    assert not Trace.objects.exists()
    assert not [r for r in caplog.records if r.name.startswith("django")]


@pytest.mark.django_db
def test_pret_503_tant_qu_une_migration_reste_a_appliquer(client, caplog):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'workflows' AND name = "
            "(SELECT max(name) FROM django_migrations WHERE app = 'workflows')"
        )
    with caplog.at_level(logging.WARNING):
        reponse = client.get("/pret/")
    assert reponse.status_code == 503
    assert reponse.content.decode() == "1 migration(s) à appliquer\n"
    # Pas une erreur au journal par sonde pendant que la base se prépare.
    assert not [r for r in caplog.records if r.name == "django.request"]


@pytest.mark.django_db
def test_pret_503_sans_la_table_du_cache(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "partage": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "plie_cache_absente",
        },
    }
    reponse = client.get("/pret/")
    assert reponse.status_code == 503
    assert reponse.content.decode() == "indisponible : ProgrammingError\n"


@pytest.mark.django_db
def test_le_cache_partage_est_dans_postgresql(settings):
    from django.core.cache import caches

    cache = caches["partage"]
    cache.set("cle-de-test", "valeur", 30)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM plie_cache WHERE cache_key LIKE %s", ["%cle-de-test"])
        assert cursor.fetchone() == (1,)
    assert cache.get("cle-de-test") == "valeur"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_une_page_ne_lit_pas_le_cache_partage(client, monde):
    """Le cache par défaut (fragment de l'avatar du bandeau de viewflow) est local au processus :
    une page n'a aucune requête de cache en plus, ni au premier affichage ni au suivant."""
    from django.core.cache import caches
    from django.test.utils import CaptureQueriesContext

    from parcours.core.enums import Role

    assert type(caches["default"]).__name__ == "LocMemCache"
    client.force_login(monde.user(Role.REFERENT))
    for _ in range(2):
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get("/app/accueil/")
        assert reponse.status_code == 200
        assert "avatar" in reponse.content.decode()
        assert [q["sql"] for q in requetes.captured_queries if "plie_cache" in q["sql"]] == []
