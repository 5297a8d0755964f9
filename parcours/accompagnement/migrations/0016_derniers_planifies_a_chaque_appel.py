"""Le déclencheur des parcours modifiés (`parcours_derniers_changes`, 0015) joint ses tables de
transition par `EXECUTE` : planifiée à chaque appel, la jointure voit leur taille.

PL/pgSQL garde le plan d'une requête sans paramètre dès son premier appel ; fait sur une
modification d'une ligne, ce plan (boucle imbriquée sur deux tables estimées à une ligne) servait
ensuite au recalcul du marqueur après l'`INSERT … SELECT` de `generer_jeu` : quadratique
(9 360 parcours : 34 s ; 93 600 : plus d'une heure ; planifiée à chaque appel : une jointure par
hachage, 1,8 s en tout). Même résultat, rien d'autre ne change (docs/PERFORMANCE.md,
7 décembre 2026).
"""

from django.db import migrations

FONCTION = r"""
CREATE OR REPLACE FUNCTION parcours_derniers_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; plies bigint[];
BEGIN
    -- EXECUTE : planifiée à chaque appel, selon la taille des tables de transition.
    EXECUTE 'SELECT array_agg(participant_id), array_agg(plie_id) FROM (
        SELECT a.participant_id, a.plie_id FROM anciens a JOIN nouveaux n ON n.id = a.id
        WHERE (a.participant_id, a.plie_id, a.date_prescription)
              IS DISTINCT FROM (n.participant_id, n.plie_id, n.date_prescription)
        UNION
        SELECT n.participant_id, n.plie_id FROM anciens a JOIN nouveaux n ON n.id = a.id
        WHERE (a.participant_id, a.plie_id, a.date_prescription)
              IS DISTINCT FROM (n.participant_id, n.plie_id, n.date_prescription)
    ) c' INTO personnes, plies;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_derniers_recalcules(personnes, plies);
    END IF;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("accompagnement", "0015_dernier_parcours")]

    # Retour : la version de 0015 ferait la même chose, plus lentement ; rien à défaire.
    operations = [migrations.RunSQL(FONCTION, migrations.RunSQL.noop)]
