"""Une seule alerte ouverte par dossier et type d'alerte (docs/accompagnement.md) : index unique
partiel sur les processus `AlerteFlow` nouveaux (ouverts), posé en SQL comme les autres index des
tables de viewflow (0003). `verifier_alertes` ne l'atteint jamais (passes sérialisées par un
verrou consultatif, ouvertes relues sous ce verrou) : c'est le garde-fou de la base si une autre
voie ouvrait la même alerte en même temps. Le type en tête, il sert aussi les comptes bornés
d'alertes ouvertes par type de l'accueil du pilotage (workflows/alertes/lecture.py) : parcours
des alertes d'un type, ou sonde (type, dossier) depuis les parcours d'un PLIE."""

from django.db import migrations

NOM = "viewflow_process_alerte_ouverte_uniq"
DEFINITION = (
    "viewflow_process ((data ->> 'type'), artifact_object_id, artifact_content_type_id)"
    " WHERE flow_class = 'workflows/alertes.flows.AlerteFlow' AND status = 'NEW'"
)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0003_index_des_boites")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE UNIQUE INDEX IF NOT EXISTS {NOM} ON {DEFINITION}",
            reverse_sql=f"DROP INDEX IF EXISTS {NOM}",
        )
    ]
