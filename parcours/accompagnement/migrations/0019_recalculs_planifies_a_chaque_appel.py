"""Les recalculs que déclenche une écriture de parcours (dernier parcours, 0015 ; nom de tri,
0018) passent par `EXECUTE … USING` : planifiés à chaque appel, avec les listes de personnes et
de parcours du moment, et non par un plan générique gardé après quelques appels.

Constaté sur le serveur embarqué (PostgreSQL 18, qui garde aussi les plans des fonctions SQL) :
dans la suite de tests, après des créations d'un parcours à la fois sur la même connexion, une
insertion de 5 000 parcours en une instruction (copie en bloc d'un test, comme une reprise en un
lot) tournait encore au bout de sept minutes, dans `UPDATE … FROM parcours_derniers_de(personnes,
plies)` (journal du serveur) ; le test entier prend une à deux secondes quand le plan est fait
pour sa liste. Même piège que les jointures des tables de transition (0016). Même résultat.
"""

from django.db import migrations

FONCTIONS = r"""
CREATE OR REPLACE FUNCTION parcours_derniers_recalcules(personnes bigint[], plies bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'SELECT 1 FROM participants_participant
    WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE' USING personnes;
    -- Retirer avant de poser : une seule marque par couple, vérifiée ligne à ligne.
    EXECUTE 'UPDATE accompagnement_parcours p SET dernier_du_plie = false
    FROM parcours_derniers_de($1, $2) d
    WHERE p.dernier_du_plie AND p.participant_id = d.participant_id AND p.plie_id = d.plie_id
      AND p.id <> d.id' USING personnes, plies;
    EXECUTE 'UPDATE accompagnement_parcours p SET dernier_du_plie = true
    FROM parcours_derniers_de($1, $2) d WHERE p.id = d.id AND NOT p.dernier_du_plie'
    USING personnes, plies;
END
$$;

CREATE OR REPLACE FUNCTION parcours_noms_de_tri_verifies(personnes bigint[], parcours bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'SELECT 1 FROM participants_participant
    WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE' USING personnes;
    -- Relu après le verrou : un renommage validé pendant cette attente est vu.
    EXECUTE 'UPDATE accompagnement_parcours p SET nom_de_tri = pa.nom, prenom_de_tri = pa.prenom
    FROM participants_participant pa
    WHERE p.id = ANY($1) AND pa.id = p.participant_id
      AND (p.nom_de_tri, p.prenom_de_tri) IS DISTINCT FROM (pa.nom, pa.prenom)' USING parcours;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("accompagnement", "0018_noms_de_tri_verrous_ordonnes")]

    # Retour : les versions de 0015 et 0018 font la même chose, exposées au plan générique.
    operations = [migrations.RunSQL(FONCTIONS, migrations.RunSQL.noop)]
