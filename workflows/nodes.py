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

`SplitParDonnees` : une porte parallèle dont une branche crée une tâche par élément d'une liste
calculée au moment du passage (les relances d'une absence, workflows/suivi/flows.py).
"""

from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes import SplitActivation

from workflows import access, actions_taches


class View(flow.View):
    droit = None
    # Les actions sur la tâche, avec un message en français (workflows/actions_taches.py).
    assign_view_class = actions_taches.PrendreTache
    unassign_view_class = actions_taches.RendreTache
    cancel_view_class = actions_taches.AnnulerTache
    undo_view_class = actions_taches.DefaireTache
    revive_view_class = actions_taches.RelancerTache

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


# — Une porte parallèle qui crée une tâche par élément d'une liste —
#
# Le `Split` gratuit de viewflow 2.4 documente `Next(node, case=None, data_source=None)` mais
# n'accepte que `case` : la création d'une tâche par élément est réservée à la version payante.
# Plutôt que de remplacer ses branches internes, on s'appuie sur ce qu'il expose : `Split.Next`
# déclare la branche (graphe, conditions, diagramme inchangés) et son activation calcule la liste
# publique `next_tasks` de paires (nœud, données) que `create_next` transforme en tâches ; notre
# activation ne fait que remplacer la paire d'une branche à données par une paire par élément.


class SplitParDonneesActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        super().activate.original()
        taches = []
        for noeud, donnees in self.next_tasks:
            source = self.flow_task.source_des_donnees(noeud)
            if source is None:
                taches.append((noeud, donnees))
            else:
                taches.extend((noeud, element) for element in source(self))
        if not taches:
            raise FlowRuntimeError(f"Aucune tâche à créer après {self.flow_task.name}")
        self.next_tasks = taches


class SplitParDonnees(flow.Split):
    """`Split` dont une branche peut créer une tâche par élément de `data_source(activation)`,
    chacune avec cet élément en `task.data` ; sans `data_source`, une branche crée une tâche,
    comme dans `flow.Split`.

        relances = SplitParDonnees().Next(this.relancer, data_source=this.relances_prevues)
    """

    activation_class = SplitParDonneesActivation

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sources_de_donnees = []  # [(nœud ou this.nœud, source ou this.méthode)]

    def Next(self, node, case=None, data_source=None):
        super().Next(node, case=case)
        if data_source is not None:
            self.sources_de_donnees.append((node, data_source))
        return self

    def source_des_donnees(self, noeud):
        """La source déclarée pour la branche menant à `noeud` (None : une seule tâche)."""
        flux = self.flow_class.instance
        for cible, source in self.sources_de_donnees:
            if this.resolve(flux, cible) is noeud:
                return this.resolve(flux, source)
        return None
