"""Les migrations 0001 à 0005 des participants écrasées en une (base neuve) ; une base qui en a
déjà joué une partie continue par les originales (`replaces`).

L'index trigramme (0004) et les déclencheurs de `participants_trigramme` (0005) sont recopiés tels
quels : une base neuve en a besoin."""

import django.db.models.deletion
import parcours.core.validators
from django.db import migrations, models


# Recopié de 0004_index_de_recherche_et_de_liste.
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


# Recopié de 0005_trigrammes_de_recherche.
FONCTIONS = r"""
CREATE FUNCTION participants_trigrammes(texte text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT substr('  ' || mot || ' ', i, 3)
    FROM regexp_split_to_table(coalesce(texte, ''), ' +') AS mot,
         generate_series(1, length(mot) + 1) AS i
    WHERE mot <> ''
$$;

CREATE FUNCTION participants_trigrammes_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO participants_trigramme (participant_id, trigramme)
    SELECT n.id, t FROM nouveaux n, participants_trigrammes(n.recherche) AS t;
    RETURN NULL;
END
$$;

CREATE FUNCTION participants_trigrammes_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM participants_trigramme tg
    USING anciens a JOIN nouveaux n ON n.id = a.id
    WHERE tg.participant_id = n.id AND a.recherche IS DISTINCT FROM n.recherche;
    INSERT INTO participants_trigramme (participant_id, trigramme)
    SELECT n.id, t
    FROM anciens a JOIN nouveaux n ON n.id = a.id, participants_trigrammes(n.recherche) AS t
    WHERE a.recherche IS DISTINCT FROM n.recherche;
    RETURN NULL;
END
$$;

CREATE TRIGGER participants_trigrammes_crees
AFTER INSERT ON participants_participant
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION participants_trigrammes_crees();

CREATE TRIGGER participants_trigrammes_changes
AFTER UPDATE ON participants_participant
REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION participants_trigrammes_changes();

INSERT INTO participants_trigramme (participant_id, trigramme)
SELECT p.id, t FROM participants_participant p, participants_trigrammes(p.recherche) AS t;
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS participants_trigrammes_crees ON participants_participant;
DROP TRIGGER IF EXISTS participants_trigrammes_changes ON participants_participant;
DROP FUNCTION IF EXISTS participants_trigrammes_crees();
DROP FUNCTION IF EXISTS participants_trigrammes_changes();
DROP FUNCTION IF EXISTS participants_trigrammes(text);
"""


class Migration(migrations.Migration):

    replaces = [('participants', '0001_initial'), ('participants', '0002_participant_anonymise_le'), ('participants', '0003_textes_sans_caracteres_de_controle'), ('participants', '0004_index_de_recherche_et_de_liste'), ('participants', '0005_trigrammes_de_recherche')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Participant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nom', models.CharField(max_length=150, validators=[parcours.core.validators.TexteControle()], verbose_name='nom')),
                ('prenom', models.CharField(max_length=150, validators=[parcours.core.validators.TexteControle()], verbose_name='prénom')),
                ('nom_naissance', models.CharField(blank=True, max_length=150, validators=[parcours.core.validators.TexteControle()], verbose_name='nom de naissance')),
                ('date_naissance', models.DateField(verbose_name='date de naissance')),
                ('sexe', models.CharField(choices=[('F', 'Femme'), ('H', 'Homme')], max_length=1, verbose_name='sexe')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='courriel')),
                ('telephone', models.CharField(blank=True, max_length=30, validators=[parcours.core.validators.TexteControle()], verbose_name='téléphone')),
                ('adresse', models.CharField(blank=True, max_length=300, validators=[parcours.core.validators.TexteControle()], verbose_name='adresse')),
                ('commune_insee', models.CharField(blank=True, max_length=5, validators=[parcours.core.validators.TexteControle()], verbose_name='commune (code INSEE)')),
                ('commune_nom', models.CharField(blank=True, max_length=200, validators=[parcours.core.validators.TexteControle()], verbose_name='commune')),
                ('recherche', models.CharField(db_index=True, editable=False, max_length=400)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('anonymise_le', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='anonymisée le')),
            ],
            options={
                'verbose_name': 'participant',
                'ordering': ['nom', 'prenom', 'id'],
                'indexes': [models.Index(fields=['date_naissance'], name='participant_date_na_3c2847_idx'), models.Index(fields=['nom', 'prenom', 'id'], name='participant_tri_nom')],
            },
        ),
        migrations.RunPython(
            code=creer_trigramme,
            reverse_code=supprimer_trigramme,
        ),
        migrations.CreateModel(
            name='Trigramme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('trigramme', models.CharField(max_length=3)),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='participants.participant')),
            ],
            options={
                'verbose_name': 'trigramme de recherche',
                'indexes': [models.Index(fields=['trigramme', 'participant'], name='participant_trigramme')],
            },
        ),
        migrations.RunSQL(
            sql=FONCTIONS,
            reverse_sql=SUPPRESSION,
        ),
    ]
