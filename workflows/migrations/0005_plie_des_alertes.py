"""Le PLIE recopié sur chaque alerte (`data.plie`) et l'index des alertes ouvertes par (PLIE,
type) : le compte borné des alertes d'un PLIE à l'accueil du pilotage (workflows/alertes/lecture.py)
ne lit plus que les alertes de ce PLIE, au plus la borne par type, au lieu de toutes les alertes
ouvertes du pays (docs/PERFORMANCE.md, issue 11).

Tenu par PostgreSQL, quelle que soit la façon d'écrire l'alerte (`ouvrir_en_lot`, flux viewflow,
générateur ou clonage du jeu) :
- avant chaque écriture d'un processus d'alerte, le PLIE est relu sur son parcours ; une valeur
  envoyée par l'application est ignorée (une instance chargée avant ne l'efface pas : viewflow
  réécrit `data` en entier) ;
- après l'insertion ou la modification de parcours, les alertes dont le PLIE diffère sont
  réécrites (un parcours changé de PLIE, ou inséré après ses alertes par le clonage du jeu).
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

CREATE FUNCTION parcours_alertes_replacees() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Réécrire `data` tel quel : le déclencheur des alertes y repose le PLIE du parcours.
    UPDATE viewflow_process p SET data = p.data FROM nouveaux n
    WHERE p.flow_class = '{FLUX}' AND p.artifact_object_id = n.id
      AND p.artifact_content_type_id = {TYPE_PARCOURS}
      AND (p.data -> 'plie') IS DISTINCT FROM to_jsonb(n.plie_id);
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
FOR EACH STATEMENT EXECUTE FUNCTION parcours_alertes_replacees();

CREATE TRIGGER parcours_alertes_changees
AFTER UPDATE ON accompagnement_parcours
REFERENCING NEW TABLE AS nouveaux
FOR EACH STATEMENT EXECUTE FUNCTION parcours_alertes_replacees();
"""

SUPPRESSION = """
DROP TRIGGER IF EXISTS viewflow_process_alerte_plie ON viewflow_process;
DROP TRIGGER IF EXISTS parcours_alertes_inserees ON accompagnement_parcours;
DROP TRIGGER IF EXISTS parcours_alertes_changees ON accompagnement_parcours;
DROP FUNCTION IF EXISTS parcours_alertes_replacees();
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
