"""L'index de la recherche approchée des personnes (parcours/participants/recherche.py).

La table `participants_trigramme` est tenue par PostgreSQL lui-même : une fonction SQL découpe
la forme de recherche en trigrammes (la découpe de pg_trgm, sans l'extension, absente du
serveur embarqué), deux déclencheurs par instruction (tables de transition : une requête pour
tout un `INSERT … SELECT` du générateur de jeu) l'écrivent à chaque création et à chaque
changement de `recherche`. Les personnes déjà en base sont indexées ici.
"""

import django.db.models.deletion
from django.db import migrations, models

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
    dependencies = [
        ("participants", "0004_index_de_recherche_et_de_liste"),
    ]

    operations = [
        migrations.CreateModel(
            name="Trigramme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("trigramme", models.CharField(max_length=3)),
                (
                    "participant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="participants.participant",
                    ),
                ),
            ],
            options={
                "verbose_name": "trigramme de recherche",
                "indexes": [
                    models.Index(fields=["trigramme", "participant"], name="participant_trigramme")
                ],
            },
        ),
        migrations.RunSQL(FONCTIONS, SUPPRESSION),
    ]
