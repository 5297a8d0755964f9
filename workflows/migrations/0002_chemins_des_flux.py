"""Les flux ont changé de module (un paquet par processus, docs/architecture.md).

Viewflow enregistre en base le chemin de la classe de chaque processus (`flow_class`) et de chaque
tâche (`flow_task`), sous la forme `app/module.Classe[.noeud]` : sans cette réécriture, les
processus et tâches créés avant le déménagement ne se chargeraient plus. Réversible.
"""

from django.db import migrations

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
    dependencies = [
        ("workflows", "0001_relance"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunPython(avancer, reculer)]
