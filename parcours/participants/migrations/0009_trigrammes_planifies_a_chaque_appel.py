"""Les requêtes des fonctions de 0008 qui prennent une liste de personnes passent par
`EXECUTE … USING` : planifiées à chaque appel, avec la liste et les statistiques du moment.

PL/pgSQL garde le plan d'une requête à paramètres après quelques appels (plan générique) : fait
quand la table des trigrammes était vide (début d'une suite de tests, base neuve), il la
parcourait en entier en cherchant chaque ligne dans la liste (`participant_id = ANY($1)` en
filtre, liste lue ligne à ligne) ; avec 85 000 trigrammes et 5 000 personnes dans une instruction,
la suite de tests y est restée bloquée plus de sept minutes (PostgreSQL 18 du serveur embarqué).
Même piège que les jointures des tables de transition (0006, accompagnement 0016). Même résultat.
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
