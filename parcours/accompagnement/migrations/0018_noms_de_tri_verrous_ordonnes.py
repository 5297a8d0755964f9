"""La copie du nom sur les parcours (0017) sans verrou pris ligne à ligne.

En 0017, le déclencheur par ligne verrouillait la personne de chaque parcours écrit, dans l'ordre
des lignes : deux insertions de plusieurs parcours partageant des personnes, dans des ordres
différents (deux reprises en parallèle), pouvaient s'interbloquer. Désormais le déclencheur par
ligne lit le nom sans verrou ; après l'instruction, les personnes des parcours créés (ou
rattachés à une autre personne) sont verrouillées **par ordre de clé** (`FOR NO KEY UPDATE`,
comme le recalcul du dernier parcours, 0015, qui l'a déjà fait pour les créations), puis leur
nom relu : un renommage validé entre-temps est recopié. Même résultat qu'en 0017
(tests/participants/test_nom_de_tri.py, dont le renommage simultané).
"""

from django.db import migrations

FONCTIONS = r"""
CREATE OR REPLACE FUNCTION parcours_nom_de_tri() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.participant_id = OLD.participant_id THEN
        -- Seule la recopie d'un renommage (déclencheur imbriqué) écrit la copie.
        IF pg_trigger_depth() = 1 THEN
            NEW.nom_de_tri := OLD.nom_de_tri;
            NEW.prenom_de_tri := OLD.prenom_de_tri;
        END IF;
        RETURN NEW;
    END IF;
    -- Sans verrou : la vérification après l'instruction verrouille dans l'ordre des clés.
    SELECT nom, prenom INTO NEW.nom_de_tri, NEW.prenom_de_tri
    FROM participants_participant WHERE id = NEW.participant_id;
    IF NOT FOUND THEN
        -- Personne écrite plus loin dans la transaction (clé différée) : son insertion recopie.
        NEW.nom_de_tri := '';
        NEW.prenom_de_tri := '';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION parcours_noms_de_tri_verifies(personnes bigint[], parcours bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM participants_participant
    WHERE id = ANY(personnes) ORDER BY id FOR NO KEY UPDATE;
    -- Relu après le verrou : un renommage validé pendant l'attente est vu.
    UPDATE accompagnement_parcours p SET nom_de_tri = pa.nom, prenom_de_tri = pa.prenom
    FROM participants_participant pa
    WHERE p.id = ANY(parcours) AND pa.id = p.participant_id
      AND (p.nom_de_tri, p.prenom_de_tri) IS DISTINCT FROM (pa.nom, pa.prenom);
END
$$;

CREATE FUNCTION parcours_noms_de_tri_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; parcours bigint[];
BEGIN
    EXECUTE 'SELECT array_agg(DISTINCT participant_id), array_agg(id) FROM nouveaux'
    INTO personnes, parcours;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_noms_de_tri_verifies(personnes, parcours);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_noms_de_tri_rattaches() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; parcours bigint[];
BEGIN
    -- EXECUTE : planifiée à chaque appel, selon la taille des tables de transition.
    EXECUTE 'SELECT array_agg(DISTINCT n.participant_id), array_agg(n.id)
    FROM anciens a JOIN nouveaux n ON n.id = a.id WHERE n.participant_id <> a.participant_id'
    INTO personnes, parcours;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_noms_de_tri_verifies(personnes, parcours);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER parcours_noms_de_tri_crees
AFTER INSERT ON accompagnement_parcours
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_noms_de_tri_crees();

CREATE TRIGGER parcours_noms_de_tri_rattaches
AFTER UPDATE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_noms_de_tri_rattaches();
"""

RETOUR = r"""
DROP TRIGGER IF EXISTS parcours_noms_de_tri_crees ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_noms_de_tri_rattaches ON accompagnement_parcours;
DROP FUNCTION IF EXISTS parcours_noms_de_tri_crees();
DROP FUNCTION IF EXISTS parcours_noms_de_tri_rattaches();
DROP FUNCTION IF EXISTS parcours_noms_de_tri_verifies(bigint[], bigint[]);
CREATE OR REPLACE FUNCTION parcours_nom_de_tri() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.participant_id = OLD.participant_id THEN
        IF pg_trigger_depth() = 1 THEN
            NEW.nom_de_tri := OLD.nom_de_tri;
            NEW.prenom_de_tri := OLD.prenom_de_tri;
        END IF;
        RETURN NEW;
    END IF;
    SELECT nom, prenom INTO NEW.nom_de_tri, NEW.prenom_de_tri
    FROM participants_participant WHERE id = NEW.participant_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        NEW.nom_de_tri := '';
        NEW.prenom_de_tri := '';
    END IF;
    RETURN NEW;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("accompagnement", "0017_noms_de_tri")]

    operations = [migrations.RunSQL(FONCTIONS, RETOUR)]
