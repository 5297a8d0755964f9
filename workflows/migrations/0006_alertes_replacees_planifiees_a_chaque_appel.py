"""Le déclencheur des parcours modifiés (`parcours_alertes_changees`, 0005) joint ses tables de
transition par `EXECUTE` : planifiée à chaque appel, la jointure voit leur taille.

PL/pgSQL garde le plan d'une requête sans paramètre dès son premier appel ; fait sur une
modification d'une ligne, ce plan (boucle imbriquée sur deux tables estimées à une ligne) servait
ensuite aux modifications en masse — le marqueur « dernier parcours » posé sur les 93 600 parcours
clonés par `generer_jeu` : quadratique (plus d'une heure ; par hachage, quelques secondes). Même
résultat (docs/PERFORMANCE.md, 7 décembre 2026).
"""

from django.db import migrations

FONCTION = r"""
CREATE OR REPLACE FUNCTION parcours_alertes_changees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
    -- Seuls les parcours changés de PLIE : une mise à jour en masse ne relit pas leurs alertes.
    -- EXECUTE : planifiée à chaque appel, selon la taille des tables de transition.
    EXECUTE 'SELECT array_agg(n.id) FROM anciens a JOIN nouveaux n ON n.id = a.id
             WHERE n.plie_id IS DISTINCT FROM a.plie_id' INTO ids;
    IF ids IS NOT NULL THEN
        PERFORM alertes_replacees(ids);
    END IF;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_plie_des_alertes")]

    # Retour : la version de 0005 ferait la même chose, plus lentement ; rien à défaire.
    operations = [migrations.RunSQL(FONCTION, migrations.RunSQL.noop)]
