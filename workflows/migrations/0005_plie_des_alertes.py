"""Le PLIE recopié sur chaque alerte (`data.plie`) et l'index des alertes ouvertes par (PLIE,
type) : le compte borné des alertes d'un PLIE à l'accueil du pilotage (workflows/alertes/lecture.py)
ne lit plus que les alertes de ce PLIE, au plus la borne par type, au lieu de toutes les alertes
ouvertes du pays (docs/PERFORMANCE.md, issue 11).

Tenu par PostgreSQL, quelle que soit la façon d'écrire l'alerte (`ouvrir_en_lot`, flux viewflow,
générateur ou clonage du jeu) :
- avant chaque écriture d'un processus d'alerte, le PLIE est relu sur son parcours ; une valeur
  envoyée par l'application est ignorée (une instance chargée avant ne l'efface pas : viewflow
  réécrit `data` en entier) ;
- après l'insertion de parcours, leurs alertes dont le PLIE diffère sont réécrites (parcours
  inséré après ses alertes par le clonage du jeu) ; après une modification, les alertes des
  seuls parcours changés de PLIE.
"""

from django.db import migrations

FLUX = "workflows/alertes.flows.AlerteFlow"
TYPE_PARCOURS = (
    "(SELECT id FROM django_content_type"
    " WHERE app_label = 'accompagnement' AND model = 'parcours')"
)

FONCTIONS = rf"""
CREATE FUNCTION alerte_plie_pose() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE plie bigint;
BEGIN
    SELECT pa.plie_id INTO plie FROM accompagnement_parcours pa
    WHERE pa.id = NEW.artifact_object_id AND NEW.artifact_content_type_id = {TYPE_PARCOURS};
    IF plie IS NULL THEN
        NEW.data := NEW.data - 'plie';
    ELSE
        NEW.data := NEW.data || jsonb_build_object('plie', plie);
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION alertes_replacees(parcours bigint[]) RETURNS void
LANGUAGE sql AS $$
    -- Réécrire `data` tel quel : le déclencheur des alertes y repose le PLIE du parcours. Par
    -- l'index (type de contenu, objet) : un parcours écrit ne lit que ses alertes.
    UPDATE viewflow_process p SET data = p.data
    FROM accompagnement_parcours pa
    WHERE p.artifact_content_type_id = {TYPE_PARCOURS}
      AND p.artifact_object_id = ANY(parcours) AND p.flow_class = '{FLUX}'
      AND pa.id = p.artifact_object_id
      AND (p.data -> 'plie') IS DISTINCT FROM to_jsonb(pa.plie_id);
$$;

CREATE FUNCTION parcours_alertes_inserees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
    SELECT array_agg(id) INTO ids FROM nouveaux;
    IF ids IS NOT NULL THEN
        PERFORM alertes_replacees(ids);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION parcours_alertes_changees() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
    -- Seuls les parcours changés de PLIE : une mise à jour en masse ne relit pas leurs alertes.
    SELECT array_agg(n.id) INTO ids FROM anciens a JOIN nouveaux n ON n.id = a.id
    WHERE n.plie_id IS DISTINCT FROM a.plie_id;
    IF ids IS NOT NULL THEN
        PERFORM alertes_replacees(ids);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER viewflow_process_alerte_plie
BEFORE INSERT OR UPDATE ON viewflow_process
FOR EACH ROW WHEN (NEW.flow_class = '{FLUX}')
EXECUTE FUNCTION alerte_plie_pose();

CREATE TRIGGER parcours_alertes_inserees
AFTER INSERT ON accompagnement_parcours
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_alertes_inserees();

CREATE TRIGGER parcours_alertes_changees
AFTER UPDATE ON accompagnement_parcours
REFERENCING OLD TABLE AS anciens NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_alertes_changees();
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS viewflow_process_alerte_plie ON viewflow_process;
DROP TRIGGER IF EXISTS parcours_alertes_inserees ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_alertes_changees ON accompagnement_parcours;
DROP FUNCTION IF EXISTS parcours_alertes_inserees();
DROP FUNCTION IF EXISTS parcours_alertes_changees();
DROP FUNCTION IF EXISTS alertes_replacees(bigint[]);
DROP FUNCTION IF EXISTS alerte_plie_pose();
UPDATE viewflow_process SET data = data - 'plie' WHERE flow_class = '{flux}';
""".format(flux=FLUX)

# Les alertes existantes : le déclencheur y pose le PLIE.
REPRISE = f"UPDATE viewflow_process SET data = data WHERE flow_class = '{FLUX}'"

INDEX = "viewflow_process_alerte_ouverte_plie_idx"
DEFINITION = (
    "viewflow_process (((data ->> 'plie')::bigint), (data ->> 'type'))"
    f" WHERE flow_class = '{FLUX}' AND status = 'NEW'"
)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0004_une_alerte_ouverte_par_type"),
        ("accompagnement", "0015_dernier_parcours"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL(FONCTIONS, SUPPRESSION),
        migrations.RunSQL(REPRISE, migrations.RunSQL.noop),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {DEFINITION}",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
