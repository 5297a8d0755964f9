"""Index de la liste des participants (docs/architecture.md « Listes ») : tri par nom et recherche.

La recherche « chaque mot contenu » est servie par un index trigramme GIN quand le serveur a
l'extension `pg_trgm` ; sinon (serveur embarqué), par l'index de préfixe `varchar_pattern_ops`
que Django pose déjà sur `recherche` (`…_like`) et une recherche par début de nom."""

from django.db import migrations, models

INDEX_TRIGRAMME = "participant_recherche_trgm"


def creer_trigramme(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX_TRIGRAMME} ON participants_participant "
            "USING gin (recherche gin_trgm_ops)"
        )


def supprimer_trigramme(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_TRIGRAMME}")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_textes_sans_caracteres_de_controle"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(fields=["nom", "prenom", "id"], name="participant_tri_nom"),
        ),
        migrations.RunPython(creer_trigramme, supprimer_trigramme),
    ]
