"""Le filtre « commune » de la liste des participants (`commune_nom__icontains`, soit
`UPPER(commune_nom) LIKE UPPER('%…%')`) servi par un index trigramme GIN quand le serveur a
l'extension `pg_trgm`, comme la recherche (0004) : sans lui, chaque filtre lisait toutes les
personnes du pays (49 ms à 100 000 participants, 7 ms avec l'index ; docs/PERFORMANCE.md).
Sans l'extension (serveur embarqué), rien n'est posé et le filtre trouve la même chose en
parcourant la table."""

from django.db import migrations

INDEX = "participant_commune_trgm"


def creer(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON participants_participant "
            "USING gin (upper(commune_nom::text) gin_trgm_ops)"
        )


def supprimer(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0006_trigrammes_planifies_a_chaque_appel")]

    operations = [migrations.RunPython(creer, supprimer)]
