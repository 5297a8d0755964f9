"""La démo complète de `make run` (comptes, dossiers, flux, suivi, minuteries), partagée par les
modules de tests qui la lisent, documents dans un dossier jetable de la session.

Mécanisme : chaque cœur construit une fois deux bases modèles PostgreSQL (`<base du cœur>_demo_base`
: `charger_demo` ; `<base du cœur>_demo_complete` : plus flux, suivi et minuteries), puis chaque
module (`demo_du_module`) ou chaque test transactionnel (`demo_par_test`, serveur live) travaille
sur une copie `CREATE DATABASE … TEMPLATE …`, jetée après lui ; la connexion revient ensuite à la
base du cœur. Une seule taille : TAILLE participants par PLIE.

Usage, dans un module : `demo = demo_du_module()` (fixture de module ; `complete=False` : les
dossiers seuls ; `preparer` : une fonction appliquée à la copie du module seule) ; pour les tests
navigateur : `demo = demo_par_test()`.
"""

import io
import shutil
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

# Participants par PLIE : assez pour des entrées sur six mois de l'année au moins
# (tests/pilotage/test_demo_tableaux.py).
TAILLE = 60


def completer_la_demo() -> None:
    sortie = io.StringIO()
    call_command("demo_flux", stdout=sortie)
    call_command("demo_suivi", stdout=sortie)
    # La première passe du répartiteur de make run : les minuteurs échus ouvrent leurs tâches.
    call_command("workflow_timers", stdout=sortie)


def _sql(requete: str, parametres=None) -> list:
    # Hors de toute base de test : la base d'administration (« postgres ») du serveur.
    with connection._nodb_cursor() as cursor:
        cursor.execute(requete, parametres)
        return cursor.fetchall() if cursor.description else []


def _nom(nom: str) -> str:
    return connection.ops.quote_name(nom)


def supprimer(nom: str) -> None:
    _sql(f"DROP DATABASE IF EXISTS {_nom(nom)} WITH (FORCE)")


def copier(modele: str, copie: str) -> None:
    """`copie` devient une copie de `modele` (aucune connexion ne doit rester sur le modèle)."""
    connection.close()
    # Seules des connexions de ce cœur peuvent être sur sa base (serveur live d'un test fini).
    _sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        [modele],
    )
    supprimer(copie)
    _sql(f"CREATE DATABASE {_nom(copie)} TEMPLATE {_nom(modele)}")


@contextmanager
def sur_la_base(nom: str):
    """La connexion de Django (et celles des fils du serveur live) va sur `nom`, puis revient."""
    ancienne = connection.settings_dict["NAME"]
    connection.close()
    # Même dictionnaire que settings.DATABASES["default"] : les fils le lisent en se connectant.
    connection.settings_dict["NAME"] = nom
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = ancienne
        ContentType.objects.clear_cache()


class BasesDemo:
    """Les bases modèles d'un cœur et ses copies. `DROP DATABASE` attend un point de contrôle du
    serveur (secondes sur une machine chargée) : les copies sont jetées par un fil à part, sous
    des noms jamais réutilisés ; la fin de session attend ce fil et jette le reste."""

    def __init__(self, media, prefixe: str = "demo"):
        self.coeur = connection.settings_dict["NAME"]
        self.media = media
        self.prefixe = f"{self.coeur}_{prefixe}"
        self.base = f"{self.prefixe}_base"
        self.complete = f"{self.prefixe}_complete"
        self.creees = {self.base, self.complete}
        self._numero = 0
        self._jeteur = ThreadPoolExecutor(max_workers=1)
        self._jetees = []

    def construire(self) -> None:
        copier(self.coeur, self.base)
        with sur_la_base(self.base), override_settings(MEDIA_ROOT=self.media):
            call_command("charger_demo", participants=TAILLE, stdout=io.StringIO())
        copier(self.base, self.complete)
        with sur_la_base(self.complete), override_settings(MEDIA_ROOT=self.media):
            completer_la_demo()

    @contextmanager
    def copie(self, complete: bool):
        self._numero += 1
        nom = f"{self.prefixe}_{self._numero}"
        self.creees.add(nom)
        copier(self.complete if complete else self.base, nom)
        try:
            with sur_la_base(nom):
                yield nom
        finally:
            self._jetees.append(self._jeteur.submit(self._jeter, nom))

    def _jeter(self, nom: str) -> None:
        parametres = {**connection.get_connection_params(), "dbname": "postgres"}
        parametres.pop("cursor_factory", None)
        with psycopg.connect(**parametres, autocommit=True) as cnx:
            cnx.execute(f"DROP DATABASE IF EXISTS {_nom(nom)} WITH (FORCE)")
        self.creees.discard(nom)

    def attendre(self) -> None:
        """Les copies rendues sont jetées (une erreur du fil remonte ici)."""
        while self._jetees:
            self._jetees.pop().result()

    def supprimer_tout(self) -> None:
        connection.close()
        self._jeteur.shutdown(wait=True)
        for nom in sorted(self.creees):
            supprimer(nom)
        self.creees.clear()


@pytest.fixture(scope="session")
def bases_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        bases = BasesDemo(tmp_path_factory.mktemp("media-demo"))
        try:
            bases.construire()
            yield bases
        finally:
            bases.supprimer_tout()


def demo_du_module(complete: bool = True, preparer=None):
    """Une copie de la démo pour le module ; chaque test l'utilise dans sa transaction (`db`).
    `preparer()`, s'il est donné, modifie cette copie avant le premier test du module."""

    @pytest.fixture(scope="module")
    def demo(bases_demo, django_db_blocker):
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=bases_demo.media),
            bases_demo.copie(complete) as nom,
        ):
            if preparer is not None:
                preparer()
            yield nom

    return demo


def demo_par_test(complete: bool = False):
    """Une copie fraîche par test transactionnel (le serveur live lit des données commitées) ;
    les documents de la démo sont copiés dans le dossier média du test."""

    @pytest.fixture
    def demo(bases_demo, transactional_db, django_db_blocker):
        shutil.copytree(bases_demo.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        with django_db_blocker.unblock(), bases_demo.copie(complete) as nom:
            yield nom

    return demo
