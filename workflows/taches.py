"""Le kit des écrans de tâche, commun à tous les flux : `TacheMixin` (le parcours relu avec son
état courant, la fin de la tâche) et `ERREURS_METIER` (les refus du domaine qu'un écran affiche).
Les écrans de chaque flux sont dans son paquet (`workflows/entree/taches.py`…)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from parcours.accompagnement.models import Parcours
from parcours.core.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)

ERREURS_METIER = (
    TransitionInterdite,
    TransitionNonAutorisee,
    DonneesTransitionInvalides,
    ConflitTransition,
)


class TacheMixin:
    """Une tâche viewflow portant un parcours : le parcours est relu avec son état courant."""

    def get_parcours(self):
        if not hasattr(self, "_parcours"):
            pk = self.request.activation.process.artifact_object_id
            self._parcours = (
                Parcours.objects.select_related(
                    "participant", "plie", "territoire", "prescripteur", "prescription"
                )
                .prefetch_related("prescription__statuts")
                .get(pk=pk)
            )
        return self._parcours

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context.update(
            parcours=parcours,
            prescription=parcours.prescription,
            participant=parcours.participant,
            tache=self.request.activation.task,
            titre=self.request.activation.flow_task.task_title,
        )
        return context

    def terminer(self, message):
        """Termine la tâche ; `message` peut dépendre de ce que la suite du flux a fait."""
        self.request.activation.execute()
        messages.success(self.request, message() if callable(message) else message)
        return HttpResponseRedirect(reverse("accueil:index"))
