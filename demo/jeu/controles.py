"""Contrôles avant toute écriture : base vide (sauf --vider) et place sur le disque."""

import shutil
from pathlib import Path

from django.db import connection

from demo.jeu.schema import GLOBALES, tables


class Refus(Exception):
    """Le jeu ne peut pas être généré : rien n'a été écrit."""


def base_vide() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM core_plie) OR EXISTS (SELECT 1 FROM core_user) "
            "OR EXISTS (SELECT 1 FROM participants_participant)"
        )
        return not cursor.fetchone()[0]


def vider() -> None:
    """Vide toutes les tables du domaine (pas les migrations, types de contenu, permissions)."""
    noms = [nom for nom in tables() if nom not in GLOBALES or nom in {"tracabilite_trace"}]
    noms += ["django_session", "django_admin_log"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename LIKE 'axes\\_%%'"
        )
        noms += [ligne[0] for ligne in cursor.fetchall()]
        liste = ", ".join(f'"{nom}"' for nom in sorted(set(noms)))
        cursor.execute(f"TRUNCATE {liste} RESTART IDENTITY CASCADE")


def espace_libre() -> tuple[int | None, str]:
    """Octets libres sur le disque des données du serveur, ou None et la raison."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            repertoire = cursor.fetchone()[0]
    except Exception as erreur:  # droits insuffisants : le serveur ne dit pas où il écrit
        return None, f"répertoire de données du serveur inconnu ({erreur})"
    if not Path(repertoire).exists():
        return None, f"répertoire de données {repertoire} invisible depuis cette machine"
    return shutil.disk_usage(repertoire).free, repertoire


def verifier(echelle, *, vider_avant: bool, ecrire) -> None:
    if not base_vide() and not vider_avant:
        raise Refus(
            "La base n'est pas vide : relancez avec --vider pour l'effacer et la régénérer."
        )
    libre, ou = espace_libre()
    besoin = echelle.octets_estimes()
    if libre is None:
        ecrire(f"Place sur le disque non vérifiée : {ou}.")
    elif besoin > libre:
        raise Refus(
            f"Jeu estimé à {besoin // 1024**2} Mo, mais {libre // 1024**2} Mo libres seulement "
            f"sur {ou} : choisissez une échelle plus petite."
        )
