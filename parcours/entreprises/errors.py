"""Les refus des services entreprises : chacun porte un message en français pour l'écran."""

from django.core.exceptions import PermissionDenied


class ErreurEntreprise(Exception):
    """Une action impossible dans l'état actuel ; rien n'a été modifié."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ActionEntrepriseNonAutorisee(PermissionDenied):
    """L'utilisateur ne tient pas le rôle voulu dans ce PLIE (ou ne voit pas ce dossier)."""
