"""Les alertes des parcours écrits (0005) relues par `EXECUTE … USING` : planifiée à chaque
appel avec la liste des parcours du moment, la requête ne garde pas un plan générique (PostgreSQL
18 garde aussi les plans des fonctions SQL) qui chercherait chaque processus dans la liste
(accompagnement 0019, même constat). Même résultat.
"""

from django.db import migrations

FLUX = "workflows/alertes.flows.AlerteFlow"
TYPE_PARCOURS = (
    "(SELECT id FROM django_content_type"
    " WHERE app_label = 'accompagnement' AND model = 'parcours')"
)

FONCTION = rf"""
CREATE OR REPLACE FUNCTION alertes_replacees(parcours bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- Réécrire `data` tel quel : le déclencheur des alertes y repose le PLIE du parcours. Par
    -- son index (type de contenu, objet) : un parcours écrit ne lit que ses alertes.
    EXECUTE 'UPDATE viewflow_process p SET data = p.data
    FROM accompagnement_parcours pa
    WHERE p.artifact_content_type_id = {TYPE_PARCOURS.replace("'", "''")}
      AND p.artifact_object_id = ANY($1) AND p.flow_class = ''{FLUX}''
      AND pa.id = p.artifact_object_id
      AND (p.data -> ''plie'') IS DISTINCT FROM to_jsonb(pa.plie_id)' USING parcours;
END
$$;
"""

RETOUR = rf"""
CREATE OR REPLACE FUNCTION alertes_replacees(parcours bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE viewflow_process p SET data = p.data
    FROM accompagnement_parcours pa
    WHERE p.artifact_content_type_id = {TYPE_PARCOURS}
      AND p.artifact_object_id = ANY(parcours) AND p.flow_class = '{FLUX}'
      AND pa.id = p.artifact_object_id
      AND (p.data -> 'plie') IS DISTINCT FROM to_jsonb(pa.plie_id);
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("workflows", "0007_taches_assignees_dans_l_ordre_des_boites")]

    operations = [migrations.RunSQL(FONCTION, RETOUR)]
