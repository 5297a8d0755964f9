from django.core.exceptions import PermissionDenied
from django_fsm import ConcurrentTransition, TransitionNotAllowed


class TransitionInterdite(TransitionNotAllowed):
    """La transition n'existe pas depuis l'état courant, ou ses conditions ne sont pas remplies."""


class TransitionNonAutorisee(PermissionDenied):
    """L'utilisateur n'a pas le rôle ou le périmètre pour effectuer cette transition."""


class DonneesTransitionInvalides(ValueError):
    """Un argument obligatoire de la transition manque ou est invalide (motif, référent…)."""


class ConflitTransition(ConcurrentTransition):
    """L'objet a changé d'état entre sa lecture et son enregistrement."""

    message = (
        "Ce dossier vient d'être modifié par une autre personne : rechargez la page pour voir "
        "son état actuel avant d'agir."
    )

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
