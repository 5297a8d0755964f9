"""L'index des tâches assignées (0003) porte aussi la clé, dernier critère du tri des boîtes
(`-created`, `-id`) : « Mes tâches » lit les tâches d'un propriétaire dans l'ordre de l'index et
s'arrête à la page, sans trier toutes ses tâches (docs/PERFORMANCE.md, banc du 7 décembre).
Même nom, même condition ; le retour remet l'index de 0003."""

from django.db import migrations

NOM = "viewflow_task_assignees_idx"
CONDITION = "WHERE status = 'ASSIGNED'"


def _poser(colonnes):
    return f"DROP INDEX IF EXISTS {NOM}; CREATE INDEX {NOM} ON viewflow_task ({colonnes}) {CONDITION}"


class Migration(migrations.Migration):
    dependencies = [("workflows", "0006_alertes_replacees_planifiees_a_chaque_appel")]

    operations = [
        migrations.RunSQL(
            sql=_poser("owner_id, created, id"),
            reverse_sql=_poser("owner_id, created"),
        )
    ]
