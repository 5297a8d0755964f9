"""Les nœuds viewflow du projet : une tâche humaine qui honore l'intérim.

Viewflow décide qui exécute une tâche dans `View.can_execute(user, task)` (son propriétaire,
posé par `.Assign`), appelé par la vue de la tâche et par les transitions `start` / `execute`.
C'est à ce niveau que l'intérim s'ajoute : le suppléant d'une délégation active exécute les
tâches du titulaire sur les dossiers couverts, sans qu'elles lui soient réassignées
(`workflows.access.filtre_taches_en_interim`, docs/accompagnement.md).
"""

from viewflow.workflow import flow

from workflows import access


class View(flow.View):
    def can_execute(self, user, task):
        if super().can_execute(user, task):
            return True
        return (
            task.owner_id is not None
            and getattr(user, "is_authenticated", False)
            and access.peut_executer_en_interim(user, task)
        )
