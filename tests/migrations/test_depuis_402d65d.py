"""Une base de production d'avant la refonte (main à 402d65d, démo chargée) migre sans perte.

`base_demo_402d65d.sql.gz` est le `pg_dump --inserts` d'une base migrée puis remplie par le
`charger_demo` de 402d65d (les méta-commandes psql retirées). Le test la restaure dans une base
à part, lance `manage.py migrate` du code courant dans un autre processus, et vérifie que rien
n'est perdu et que ce qui a changé de forme a été converti : les chemins des flux viewflow
(workflows/migrations/0002), les droits PLIE globaux devenus droits objet (core 0004), les
questionnaires FSE+ devenus questionnaires par participation, diplôme en catégorie DGEFP
(accompagnement 0012-0013).
"""

import gzip
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
import pytest
from django.db import connection
from viewflow.workflow.fields import import_flow_by_ref, import_task_by_ref

from parcours.fse.categories import diplome_depuis_niveau_national

RACINE = Path(__file__).resolve().parents[2]
DUMP = Path(__file__).with_name("base_demo_402d65d.sql.gz")

# Ce que la démo de 402d65d contenait (compté dans le dump).
PARTICIPANTS = 200
PROCESSUS = {
    "workflows/emploi.flows.SortieFlow": 20,
    "workflows/emploi.flows.SuiviContratFlow": 20,
    "workflows/suivi.flows.SuspensionFlow": 8,
}
TACHES = 136


def _parametres(nom_base):
    reglages = connection.settings_dict
    params = {
        "dbname": nom_base,
        "user": reglages["USER"],
        "password": reglages["PASSWORD"] or None,
        "host": reglages["HOST"] or reglages["OPTIONS"].get("host"),
        "port": reglages["PORT"] or reglages["OPTIONS"].get("port"),
    }
    return {k: v for k, v in params.items() if v}


def _url(nom_base):
    p = _parametres(nom_base)
    auth = quote(p["user"]) + (":" + quote(p["password"]) if "password" in p else "")
    requete = {"host": p["host"]} | ({"port": p["port"]} if "port" in p else {})
    return f"postgresql://{auth}@/{nom_base}?{urlencode(requete)}"


@pytest.fixture
def base_de_402d65d(django_db_setup, django_db_blocker):
    # Une base par worker, à côté de la base de test (dont le nom est déjà propre au worker).
    nom = f"{connection.settings_dict['NAME']}_depuis_402d65d"[:63]
    with psycopg.connect(**_parametres("postgres"), autocommit=True) as serveur:
        serveur.execute(f'DROP DATABASE IF EXISTS "{nom}"')
        serveur.execute(f'CREATE DATABASE "{nom}"')
    try:
        with psycopg.connect(**_parametres(nom), autocommit=True) as base:
            # Sans paramètres, psycopg envoie le script entier en une requête simple.
            base.execute(gzip.decompress(DUMP.read_bytes()).decode())
        yield nom
    finally:
        with psycopg.connect(**_parametres("postgres"), autocommit=True) as serveur:
            serveur.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


def _valeurs(nom, sql):
    with psycopg.connect(**_parametres(nom)) as base:
        return base.execute(sql).fetchall()


def test_la_base_de_402d65d_migre_sans_perte(base_de_402d65d):
    nom = base_de_402d65d
    assert _valeurs(nom, "SELECT count(*) FROM participants_participant") == [(PARTICIPANTS,)]

    questionnaires_sql = (
        "SELECT id, parcours_id, niveau_diplome, situation_marche_travail, commune_naissance,"
        " date_entree FROM accompagnement_questionnairefse ORDER BY id"
    )
    questionnaires = _valeurs(nom, questionnaires_sql)
    assert questionnaires

    env = os.environ | {"DATABASE_URL": _url(nom), "DJANGO_DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migration = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migration.returncode == 0, migration.stderr[-3000:]
    assert "workflows.0002_chemins_des_flux... OK" in migration.stdout

    # Rien de perdu.
    assert _valeurs(nom, "SELECT count(*) FROM participants_participant") == [(PARTICIPANTS,)]
    assert _valeurs(nom, "SELECT count(*) FROM viewflow_task") == [(TACHES,)]

    # Les questionnaires FSE+ (un par parcours) restent tous, réponses comprises, et reçoivent la
    # catégorie DGEFP de leur niveau national (accompagnement 0013, docs/fse.md) ; ils attendent
    # une opération pour être rattachés à une participation.
    assert _valeurs(nom, questionnaires_sql) == questionnaires
    categories = _valeurs(
        nom,
        "SELECT niveau_diplome, diplome_dgefp, participation_id, recopie_de_id"
        " FROM accompagnement_questionnairefse",
    )
    for niveau, categorie, participation, recopie in categories:
        assert categorie == diplome_depuis_niveau_national(niveau), niveau
        assert participation is None and recopie is None

    # Chaque processus et chaque tâche pointent vers une classe et un nœud qui existent.
    processus = dict(
        _valeurs(nom, "SELECT flow_class, count(*) FROM viewflow_process GROUP BY 1")
    )
    assert processus == PROCESSUS
    for chemin in processus:
        assert import_flow_by_ref(chemin) is not None
    noeuds = [ref for (ref,) in _valeurs(nom, "SELECT DISTINCT flow_task FROM viewflow_task")]
    assert noeuds
    for ref in noeuds:
        assert import_task_by_ref(ref) is not None, ref

    # Les droits PLIE globaux des comptes admin sont devenus des droits sur leur PLIE.
    globaux = _valeurs(
        nom,
        "SELECT count(*) FROM core_user_user_permissions up"
        " JOIN auth_permission p ON p.id = up.permission_id"
        " WHERE p.codename IN ('animer_plie', 'suivre_emploi_plie')",
    )
    assert globaux == [(0,)]
    objets = _valeurs(
        nom,
        "SELECT u.username, p.codename FROM guardian_userobjectpermission g"
        " JOIN auth_permission p ON p.id = g.permission_id JOIN core_user u ON u.id = g.user_id"
        " WHERE p.codename IN ('animer_plie', 'suivre_emploi_plie') AND u.username LIKE 'admin.%'"
        " ORDER BY 1, 2",
    )
    assert objets == [
        ("admin.agenais", "animer_plie"),
        ("admin.agenais", "suivre_emploi_plie"),
        ("admin.flandre-lys", "animer_plie"),
        ("admin.flandre-lys", "suivre_emploi_plie"),
    ]

    # Et la base migrée répond au schéma des modèles courants (aucune migration manquante).
    verification = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verification.returncode == 0, verification.stdout + verification.stderr
