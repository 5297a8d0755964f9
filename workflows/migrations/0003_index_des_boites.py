"""Index des boîtes de tâches sur les tables de viewflow (docs/PERFORMANCE.md).

Les tables de viewflow ne sont pas à nous : leurs index supplémentaires sont posés en SQL,
idempotents (`IF NOT EXISTS`) et réversibles. Chacun sert une boîte, partant du petit côté :
- « Mes tâches » : les tâches assignées d'un propriétaire (index partiel des tâches ouvertes) ;
- « À prendre » : la file d'un droit sur un PLIE (`owner_permission`, `owner_permission_obj_pk`),
  tâches nouvelles sans propriétaire ;
- les alertes ouvertes par type de tâche (`flow_task`), nouvelles ou assignées.
Les processus ont déjà l'index de viewflow sur (`artifact_content_type`, `artifact_object_id`).
"""

from django.db import migrations

INDEX = {
    "viewflow_task_assignees_idx": (
        "viewflow_task (owner_id, created) WHERE status = 'ASSIGNED'"
    ),
    "viewflow_task_a_prendre_idx": (
        "viewflow_task (owner_permission, owner_permission_obj_pk, created)"
        " WHERE status = 'NEW' AND owner_id IS NULL"
    ),
    "viewflow_task_ouvertes_type_idx": (
        "viewflow_task (flow_task, owner_id) WHERE status IN ('NEW', 'ASSIGNED')"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_chemins_des_flux"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {nom} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {nom}",
        )
        for nom, definition in INDEX.items()
    ]
