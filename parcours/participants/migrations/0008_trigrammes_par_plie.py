"""Les trigrammes de la recherche approchée rangés par PLIE (docs/PERFORMANCE.md).

Jusqu'ici une ligne par (personne, trigramme) : chercher « lambrt » dans un PLIE lisait les
trigrammes de tous les Lambert du pays (43 500 lignes à 100 000 participants) avant de garder ceux
du PLIE. Désormais une ligne par (personne, PLIE où elle a un parcours, trigramme), lue par
l'index (PLIE, trigramme, personne) : la page ne lit que les personnes du PLIE.

Les déclencheurs (par instruction, tables de transition lues par `EXECUTE`) :
- une personne créée ou dont la forme de recherche change : ses lignes réécrites, pour chacun
  des PLIE de ses parcours ;
- un parcours créé, rattaché à une autre personne ou à un autre PLIE, ou supprimé : les personnes
  concernées sont verrouillées **par ordre de clé** (`FOR NO KEY UPDATE`, comme 0015 et 0018
  des parcours), puis leurs lignes recalées : le PLIE qui manque est ajouté, celui où elles n'ont
  plus de parcours retiré. Après le verrou, la forme de recherche relue est celle d'un renommage
  validé entre-temps ; un renommage qui attend le verrou voit ensuite le nouveau parcours.

Les écritures des personnes et des parcours attendent la fin de la migration (`SHARE ROW
EXCLUSIVE`, pris d'emblée : le mode de `CREATE TRIGGER`, sans escalade ; les lectures passent) :
aucune écriture ne passe entre l'ancien index vidé et le nouveau rempli (17 s à 100 000
participants). Les déclencheurs des personnes gardent leur nom ; leurs fonctions sont remplacées.
Un `TRUNCATE` des parcours vide l'index.
"""

import django.db.models.deletion
from django.db import migrations, models

# Écritures des personnes et des parcours suspendues jusqu'à la fin de la migration (lectures
# permises) : le mode qu'exige ensuite `CREATE TRIGGER`, pris d'emblée (pas d'escalade de verrou).
VERROUS = r"""
LOCK TABLE participants_participant, accompagnement_parcours IN SHARE ROW EXCLUSIVE MODE;
"""

AVANT = VERROUS + "TRUNCATE participants_trigramme;"

# Retour : l'index par personne de 0005/0006 rempli de nouveau (ses fonctions sont rendues par
# APRES_RETOUR, qui passe avant).
AVANT_RETOUR = r"""
INSERT INTO participants_trigramme (participant_id, trigramme)
SELECT p.id, t FROM participants_participant p, participants_trigrammes(p.recherche) AS t;
"""

APRES = r"""
-- Les lignes des personnes données recalées sur leurs parcours : celles d'un PLIE où la
-- personne n'a plus de parcours retirées, celles qui manquent ajoutées.
CREATE FUNCTION participants_trigrammes_recales(personnes bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM participants_trigramme tg
    WHERE tg.participant_id = ANY(personnes)
      AND NOT EXISTS (
          SELECT 1 FROM accompagnement_parcours p
          WHERE p.participant_id = tg.participant_id AND p.plie_id = tg.plie_id
      );
    INSERT INTO participants_trigramme (participant_id, plie_id, trigramme)
    SELECT DISTINCT pa.id, pc.plie_id, t
    FROM participants_participant pa
    JOIN accompagnement_parcours pc ON pc.participant_id = pa.id,
    participants_trigrammes(pa.recherche) AS t
    WHERE pa.id = ANY(personnes)
    ON CONFLICT DO NOTHING;
END
$$;

CREATE OR REPLACE FUNCTION participants_trigrammes_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[];
BEGIN
    -- Une personne écrite après ses parcours (clés différées : générateur de jeu).
    EXECUTE 'SELECT array_agg(id) FROM nouveaux' INTO personnes;
    IF personnes IS NOT NULL THEN
        PERFORM participants_trigrammes_recales(personnes);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION participants_trigrammes_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[];
BEGIN
    -- EXECUTE : planifiée à chaque appel, selon la taille des tables de transition.
    EXECUTE 'SELECT array_agg(n.id) FROM anciens a JOIN nouveaux n ON n.id = a.id
    WHERE a.recherche IS DISTINCT FROM n.recherche' INTO personnes;
    IF personnes IS NOT NULL THEN
        DELETE FROM participants_trigramme WHERE participant_id = ANY(personnes);
        PERFORM participants_trigrammes_recales(personnes);
    END IF;
    RETURN NULL;
END
$$;

-- Les personnes d'un parcours créé, déplacé ou supprimé : verrouillées par ordre de clé,
-- puis recalées (la forme de recherche relue après le verrou).
CREATE FUNCTION parcours_trigrammes_verifies(personnes bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM participants_participant
    WHERE id = ANY(personnes) ORDER BY id FOR NO KEY UPDATE;
    PERFORM participants_trigrammes_recales(personnes);
END
$$;

CREATE FUNCTION parcours_trigrammes_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[];
BEGIN
    EXECUTE 'SELECT array_agg(DISTINCT participant_id) FROM nouveaux' INTO personnes;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_trigrammes_verifies(personnes);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_trigrammes_deplaces() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[];
BEGIN
    EXECUTE 'SELECT array_agg(DISTINCT x) FROM anciens a JOIN nouveaux n ON n.id = a.id,
    LATERAL (VALUES (a.participant_id), (n.participant_id)) AS v(x)
    WHERE (n.participant_id, n.plie_id) IS DISTINCT FROM (a.participant_id, a.plie_id)'
    INTO personnes;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_trigrammes_verifies(personnes);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_trigrammes_supprimes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[];
BEGIN
    EXECUTE 'SELECT array_agg(DISTINCT participant_id) FROM anciens' INTO personnes;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_trigrammes_verifies(personnes);
    END IF;
    RETURN NULL;
END
$$;

-- Tous les parcours vidés d'un coup (TRUNCATE ne passe pas par les déclencheurs de ligne).
CREATE FUNCTION parcours_trigrammes_vides() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM participants_trigramme;
    RETURN NULL;
END
$$;

CREATE TRIGGER parcours_trigrammes_crees
AFTER INSERT ON accompagnement_parcours
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_trigrammes_crees();

CREATE TRIGGER parcours_trigrammes_deplaces
AFTER UPDATE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_trigrammes_deplaces();

CREATE TRIGGER parcours_trigrammes_supprimes
AFTER DELETE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens
FOR EACH STATEMENT EXECUTE FUNCTION parcours_trigrammes_supprimes();

CREATE TRIGGER parcours_trigrammes_vides
AFTER TRUNCATE ON accompagnement_parcours
FOR EACH STATEMENT EXECUTE FUNCTION parcours_trigrammes_vides();

INSERT INTO participants_trigramme (participant_id, plie_id, trigramme)
SELECT DISTINCT pa.id, pc.plie_id, t
FROM participants_participant pa
JOIN accompagnement_parcours pc ON pc.participant_id = pa.id,
participants_trigrammes(pa.recherche) AS t;

-- Les clés des lignes écrites vérifiées maintenant : l'index qui suit ne se pose pas sur une
-- table qui a des vérifications différées en attente.
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
"""

APRES_RETOUR = (
    VERROUS
    + r"""
DROP TRIGGER IF EXISTS parcours_trigrammes_crees ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_trigrammes_deplaces ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_trigrammes_supprimes ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_trigrammes_vides ON accompagnement_parcours;
DROP FUNCTION IF EXISTS parcours_trigrammes_crees();
DROP FUNCTION IF EXISTS parcours_trigrammes_deplaces();
DROP FUNCTION IF EXISTS parcours_trigrammes_supprimes();
DROP FUNCTION IF EXISTS parcours_trigrammes_vides();
DROP FUNCTION IF EXISTS parcours_trigrammes_verifies(bigint[]);

-- Les fonctions des personnes de 0005/0006.
CREATE OR REPLACE FUNCTION participants_trigrammes_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO participants_trigramme (participant_id, trigramme)
    SELECT n.id, t FROM nouveaux n, participants_trigrammes(n.recherche) AS t;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION participants_trigrammes_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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

DROP FUNCTION IF EXISTS participants_trigrammes_recales(bigint[]);
TRUNCATE participants_trigramme;
"""
)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0007_index_de_la_commune"),
        ("accompagnement", "0018_noms_de_tri_verrous_ordonnes"),
        ("core", "0008_role_controleur"),
    ]

    operations = [
        migrations.RunSQL(AVANT, AVANT_RETOUR),
        migrations.RemoveIndex(model_name="trigramme", name="participant_trigramme"),
        migrations.AlterField(
            model_name="trigramme",
            name="participant",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="participants.participant",
            ),
        ),
        migrations.AddField(
            model_name="trigramme",
            name="plie",
            field=models.ForeignKey(
                db_index=False,
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.plie",
            ),
            preserve_default=False,
        ),
        # Rempli avant de poser l'index et la contrainte (une construction, pas 1,5 million
        # d'insertions dans deux index) ; `ON CONFLICT DO NOTHING` s'en passe d'ici là.
        migrations.RunSQL(APRES, APRES_RETOUR),
        migrations.AddIndex(
            model_name="trigramme",
            index=models.Index(
                fields=["plie", "trigramme", "participant"], name="participant_trigramme_plie"
            ),
        ),
        migrations.AddConstraint(
            model_name="trigramme",
            constraint=models.UniqueConstraint(
                fields=("participant", "plie", "trigramme"), name="participant_trigramme_unique"
            ),
        ),
    ]
