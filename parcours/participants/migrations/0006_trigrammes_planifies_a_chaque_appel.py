"""Le déclencheur des personnes modifiées (`participants_trigrammes_changes`, 0005) joint ses
tables de transition par `EXECUTE` : planifiée à chaque appel, la jointure voit leur taille.

PL/pgSQL garde le plan d'une requête sans paramètre dès son premier appel ; fait sur une
modification d'une ligne (boucle imbriquée sur deux tables estimées à une ligne), il serait
quadratique pour une modification en masse des personnes (même piège que les déclencheurs des
parcours, docs/PERFORMANCE.md, 7 décembre 2026). Même résultat.
"""

from django.db import migrations

FONCTION = r"""
CREATE OR REPLACE FUNCTION participants_trigrammes_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- EXECUTE : planifiées à chaque appel, selon la taille des tables de transition.
    EXECUTE 'DELETE FROM participants_trigramme tg
    USING anciens a JOIN nouveaux n ON n.id = a.id
    WHERE tg.participant_id = n.id AND a.recherche IS DISTINCT FROM n.recherche';
    EXECUTE 'INSERT INTO participants_trigramme (participant_id, trigramme)
    SELECT n.id, t
    FROM anciens a JOIN nouveaux n ON n.id = a.id, participants_trigrammes(n.recherche) AS t
    WHERE a.recherche IS DISTINCT FROM n.recherche';
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("participants", "0005_trigrammes_de_recherche")]

    # Retour : la version de 0005 ferait la même chose, plus lentement ; rien à défaire.
    operations = [migrations.RunSQL(FONCTION, migrations.RunSQL.noop)]
