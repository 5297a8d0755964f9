"""Les nœuds viewflow du projet : une tâche humaine qui vérifie le droit du domaine et honore
l'intérim.

Viewflow décide qui exécute une tâche dans `View.can_execute(user, task)` (son propriétaire,
posé par `.Assign`) et qui la prend dans `can_assign` (`.Permission`), appelés par les vues de la
tâche et par les transitions `start` / `execute`. C'est là que s'ajoutent :
- le **droit du domaine** (`.Droit(predicat)`) : même assignée, une tâche n'est prise ou exécutée
  que par qui a le droit d'agir sur son dossier aujourd'hui (rôle actif dans le PLIE du dossier,
  dossier dans son portefeuille…). Chaque nœud `View` des flux en déclare un
  (tests/workflows/test_urls_taches.py le vérifie) ;
- l'**intérim** : le suppléant d'une délégation active exécute les tâches du titulaire sur les
  dossiers couverts, sans qu'elles lui soient réassignées
  (`workflows.access.filtre_taches_en_interim`, docs/accompagnement.md).
"""

from viewflow.workflow import flow

from workflows import access


class View(flow.View):
    droit = None

    def Droit(self, predicat):  # la syntaxe chaînée de viewflow : .Assign, .Next…
        """`predicat(user, task) -> bool` : le droit du domaine d'agir sur cette tâche."""
        self.droit = predicat
        return self

    def a_le_droit(self, user, task) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if self.droit is None:
            # Un nœud sans droit déclaré n'est exécutable par personne (hors superutilisateur) :
            # l'oubli se voit tout de suite au lieu d'ouvrir la tâche à tous.
            return user.is_superuser
        return self.droit(user, task)

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self.a_le_droit(user, task)

    def can_execute(self, user, task):
        if not self.a_le_droit(user, task):
            return False
        if super().can_execute(user, task):
            return True
        return task.owner_id is not None and access.peut_executer_en_interim(user, task)
