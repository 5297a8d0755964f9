"""Les requêtes des fonctions de 0008 qui prennent une liste de personnes passent par
`EXECUTE … USING` : planifiées à chaque appel, avec la liste et les statistiques du moment.

PL/pgSQL garde le plan d'une requête à paramètres après quelques appels (plan générique, que
PostgreSQL 18 garde aussi pour les fonctions SQL) : fait sur des listes d'une personne, il peut
chercher chaque ligne de la table dans la liste (`participant_id = ANY($1)` en filtre). Observé
sur le recalcul du dernier parcours (accompagnement 0019 : plus de sept minutes pour 5 000
parcours créés d'une instruction) ; ces fonctions-ci avaient la même forme. Même résultat.
"""

from django.db import migrations

FONCTIONS = r"""
CREATE OR REPLACE FUNCTION participants_trigrammes_recales(personnes bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'DELETE FROM participants_trigramme tg
    WHERE tg.participant_id = ANY($1)
      AND NOT EXISTS (
          SELECT 1 FROM accompagnement_parcours p
          WHERE p.participant_id = tg.participant_id AND p.plie_id = tg.plie_id
      )' USING personnes;
    -- Les trigrammes calculés une fois par (personne, PLIE), pas par parcours.
    EXECUTE 'INSERT INTO participants_trigramme (participant_id, plie_id, trigramme)
    SELECT pa.id, paires.plie_id, t
    FROM (
        SELECT DISTINCT participant_id, plie_id FROM accompagnement_parcours
        WHERE participant_id = ANY($1)
    ) AS paires
    JOIN participants_participant pa ON pa.id = paires.participant_id,
    participants_trigrammes(pa.recherche) AS t
    ON CONFLICT DO NOTHING' USING personnes;
END
$$;

CREATE OR REPLACE FUNCTION participants_trigrammes_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[];
BEGIN
    EXECUTE 'SELECT array_agg(n.id) FROM anciens a JOIN nouveaux n ON n.id = a.id
    WHERE a.recherche IS DISTINCT FROM n.recherche' INTO personnes;
    IF personnes IS NOT NULL THEN
        EXECUTE 'DELETE FROM participants_trigramme WHERE participant_id = ANY($1)'
        USING personnes;
        PERFORM participants_trigrammes_recales(personnes);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION parcours_trigrammes_verifies(personnes bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'SELECT 1 FROM participants_participant
    WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE' USING personnes;
    PERFORM participants_trigrammes_recales(personnes);
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("participants", "0008_trigrammes_par_plie")]

    # Retour : les versions de 0008 font la même chose, exposées au plan générique ; rien à défaire.
    operations = [migrations.RunSQL(FONCTIONS, migrations.RunSQL.noop)]
