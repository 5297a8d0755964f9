"""Les migrations 0001 à 0004 écrasées en une pour les bases neuves (moins d'états
de modèles à rendre) ; une base qui en a déjà joué une partie continue par les originales
(`replaces`). La réécriture des chemins des flux (0002) y reste."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


# Recopié de 0002_chemins_des_flux : une base sans aucune migration de workflows peut avoir des
# processus viewflow aux anciens chemins.
# Ancien chemin → nouveau chemin de chaque classe de flux.
CHEMINS = {
    "workflows/flows.EntreeFlow": "workflows/entree.flows.EntreeFlow",
    "workflows/suivi.SuiviAbsenceFlow": "workflows/suivi.flows.SuiviAbsenceFlow",
    "workflows/suivi.SuspensionFlow": "workflows/suivi.flows.SuspensionFlow",
    "workflows/alertes.AlerteFlow": "workflows/alertes.flows.AlerteFlow",
    "workflows/clauses.CandidatureFlow": "workflows/clauses.flows.CandidatureFlow",
    "workflows/emploi.SuiviContratFlow": "workflows/emploi.flows.SuiviContratFlow",
    "workflows/emploi.SortieFlow": "workflows/emploi.flows.SortieFlow",
}


def _reecrire(schema_editor, chemins):
    with schema_editor.connection.cursor() as curseur:
        for ancien, nouveau in chemins.items():
            curseur.execute(
                "UPDATE viewflow_process SET flow_class = %s WHERE flow_class = %s",
                [nouveau, ancien],
            )
            # `flow_task` = chemin de la classe + "." + nom du nœud.
            curseur.execute(
                "UPDATE viewflow_task SET flow_task = %s || substr(flow_task, %s)"
                " WHERE flow_task LIKE %s",
                [nouveau, len(ancien) + 1, ancien.replace("_", r"\_") + ".%"],
            )


def avancer(apps, schema_editor):
    _reecrire(schema_editor, CHEMINS)


def reculer(apps, schema_editor):
    _reecrire(schema_editor, {nouveau: ancien for ancien, nouveau in CHEMINS.items()})


class Migration(migrations.Migration):

    replaces = [('workflows', '0001_relance'), ('workflows', '0002_chemins_des_flux'), ('workflows', '0003_index_des_boites'), ('workflows', '0004_une_alerte_ouverte_par_type')]

    initial = True

    dependencies = [
        ('courriels', '0001_initial'),
        ('viewflow', '0015_task_scheduled'),
    ]

    operations = [
        migrations.CreateModel(
            name='Relance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('envoyee_le', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyée le')),
                ('courriel', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='courriels.courriel')),
                ('tache', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='relance', to='viewflow.task')),
            ],
            options={
                'verbose_name': 'relance',
            },
        ),
        migrations.RunPython(avancer, reculer),
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS viewflow_task_assignees_idx ON viewflow_task (owner_id, created) WHERE status = 'ASSIGNED'",
            reverse_sql='DROP INDEX IF EXISTS viewflow_task_assignees_idx',
        ),
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS viewflow_task_a_prendre_idx ON viewflow_task (owner_permission, owner_permission_obj_pk, created) WHERE status = 'NEW' AND owner_id IS NULL",
            reverse_sql='DROP INDEX IF EXISTS viewflow_task_a_prendre_idx',
        ),
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS viewflow_task_ouvertes_type_idx ON viewflow_task (flow_task, owner_id) WHERE status IN ('NEW', 'ASSIGNED')",
            reverse_sql='DROP INDEX IF EXISTS viewflow_task_ouvertes_type_idx',
        ),
        migrations.RunSQL(
            sql="CREATE UNIQUE INDEX IF NOT EXISTS viewflow_process_alerte_ouverte_uniq ON viewflow_process ((data ->> 'type'), artifact_object_id, artifact_content_type_id) WHERE flow_class = 'workflows/alertes.flows.AlerteFlow' AND status = 'NEW'",
            reverse_sql='DROP INDEX IF EXISTS viewflow_process_alerte_ouverte_uniq',
        ),
    ]
