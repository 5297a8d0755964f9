"""Le marqueur « dernier parcours de la personne dans son PLIE » (`Parcours.dernier_du_plie`).

Tenu par PostgreSQL, quelle que soit la façon d'écrire un parcours (prescription, réentrée,
reprise, démo, `INSERT … SELECT` du générateur de jeu, effacement) : des déclencheurs par
instruction (tables de transition) recalculent le marqueur des couples (personne, PLIE) touchés,
après avoir verrouillé leurs personnes (`FOR NO KEY UPDATE`, compatible avec le verrou des clés
étrangères) : deux parcours créés en même temps pour une même personne se suivent. Un
déclencheur par ligne ignore toute valeur envoyée par l'application (une instance chargée avant
le recalcul ne l'écrase pas). L'unicité partielle garantit un seul dernier par couple.
"""

from django.db import migrations, models

FONCTIONS = r"""
CREATE FUNCTION parcours_derniers_de(personnes bigint[], plies bigint[])
RETURNS TABLE (id bigint, participant_id bigint, plie_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (p.participant_id, p.plie_id) p.id, p.participant_id, p.plie_id
    FROM accompagnement_parcours p
    JOIN unnest(personnes, plies) AS c(participant_id, plie_id)
      ON c.participant_id = p.participant_id AND c.plie_id = p.plie_id
    ORDER BY p.participant_id, p.plie_id, p.date_prescription DESC, p.id DESC
$$;

CREATE FUNCTION parcours_derniers_recalcules(personnes bigint[], plies bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM participants_participant
    WHERE id = ANY(personnes) ORDER BY id FOR NO KEY UPDATE;
    -- D'abord retirer, puis poser : l'unicité partielle est vérifiée ligne à ligne.
    UPDATE accompagnement_parcours p SET dernier_du_plie = false
    FROM parcours_derniers_de(personnes, plies) d
    WHERE p.dernier_du_plie AND p.participant_id = d.participant_id AND p.plie_id = d.plie_id
      AND p.id <> d.id;
    UPDATE accompagnement_parcours p SET dernier_du_plie = true
    FROM parcours_derniers_de(personnes, plies) d WHERE p.id = d.id AND NOT p.dernier_du_plie;
END
$$;

CREATE FUNCTION parcours_dernier_garde() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Seul le recalcul (déclencheur imbriqué) écrit le marqueur.
    IF pg_trigger_depth() = 1 THEN
        IF TG_OP = 'INSERT' THEN
            NEW.dernier_du_plie := false;
        ELSE
            NEW.dernier_du_plie := OLD.dernier_du_plie;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION parcours_derniers_crees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; plies bigint[];
BEGIN
    SELECT array_agg(participant_id), array_agg(plie_id) INTO personnes, plies
    FROM (SELECT DISTINCT participant_id, plie_id FROM nouveaux) c;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_derniers_recalcules(personnes, plies);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_derniers_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; plies bigint[];
BEGIN
    SELECT array_agg(participant_id), array_agg(plie_id) INTO personnes, plies
    FROM (
        SELECT a.participant_id, a.plie_id FROM anciens a JOIN nouveaux n ON n.id = a.id
        WHERE (a.participant_id, a.plie_id, a.date_prescription)
              IS DISTINCT FROM (n.participant_id, n.plie_id, n.date_prescription)
        UNION
        SELECT n.participant_id, n.plie_id FROM anciens a JOIN nouveaux n ON n.id = a.id
        WHERE (a.participant_id, a.plie_id, a.date_prescription)
              IS DISTINCT FROM (n.participant_id, n.plie_id, n.date_prescription)
    ) c;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_derniers_recalcules(personnes, plies);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_derniers_supprimes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE personnes bigint[]; plies bigint[];
BEGIN
    SELECT array_agg(participant_id), array_agg(plie_id) INTO personnes, plies
    FROM (SELECT DISTINCT participant_id, plie_id FROM anciens) c;
    IF personnes IS NOT NULL THEN
        PERFORM parcours_derniers_recalcules(personnes, plies);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER parcours_dernier_garde
BEFORE INSERT OR UPDATE ON accompagnement_parcours
FOR EACH ROW EXECUTE FUNCTION parcours_dernier_garde();

CREATE TRIGGER parcours_derniers_crees
AFTER INSERT ON accompagnement_parcours
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_derniers_crees();

CREATE TRIGGER parcours_derniers_changes
AFTER UPDATE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_derniers_changes();

CREATE TRIGGER parcours_derniers_supprimes
AFTER DELETE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens
FOR EACH STATEMENT EXECUTE FUNCTION parcours_derniers_supprimes();
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS parcours_dernier_garde ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_derniers_crees ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_derniers_changes ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_derniers_supprimes ON accompagnement_parcours;
DROP FUNCTION IF EXISTS parcours_derniers_crees();
DROP FUNCTION IF EXISTS parcours_derniers_changes();
DROP FUNCTION IF EXISTS parcours_derniers_supprimes();
DROP FUNCTION IF EXISTS parcours_dernier_garde();
DROP FUNCTION IF EXISTS parcours_derniers_recalcules(bigint[], bigint[]);
DROP FUNCTION IF EXISTS parcours_derniers_de(bigint[], bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accompagnement", "0014_motif_fin_action"),
        ("participants", "0005_trigrammes_de_recherche"),
    ]

    operations = [
        migrations.AddField(
            model_name="parcours",
            name="dernier_du_plie",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="dernier parcours de la personne"
            ),
        ),
        # Remplir avant les déclencheurs (la garde n'existe pas encore) ; elidable : une base neuve
        # n'a aucun parcours à marquer.
        migrations.RunSQL(
            "UPDATE accompagnement_parcours p SET dernier_du_plie = true FROM ("
            " SELECT DISTINCT ON (participant_id, plie_id) id FROM accompagnement_parcours"
            " ORDER BY participant_id, plie_id, date_prescription DESC, id DESC"
            ") d WHERE p.id = d.id",
            migrations.RunSQL.noop,
            elidable=True,
        ),
        migrations.RunSQL(FONCTIONS, SUPPRESSION),
        migrations.AddConstraint(
            model_name="parcours",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dernier_du_plie", True)),
                fields=("participant", "plie"),
                name="un_dernier_parcours_par_personne_et_plie",
            ),
        ),
        migrations.AddIndex(
            model_name="parcours",
            index=models.Index(
                condition=models.Q(("dernier_du_plie", True)),
                fields=["plie", "statut"],
                name="parcours_derniers_plie_statut",
            ),
        ),
    ]
