"""Les refus des services de commission : chacun porte un message en français pour l'écran."""

from django.core.exceptions import PermissionDenied


class ErreurCommission(Exception):
    """Une action de commission impossible dans l'état actuel ; rien n'a été modifié."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DonneesCommissionInvalides(ErreurCommission, ValueError):
    """Une donnée saisie est invalide (date passée, territoire d'un autre PLIE, motif absent…)."""


class AucuneSessionPlanifiee(ErreurCommission):
    """Aucune session à venir ne peut recevoir ce dossier."""


class HorsOrdreDuJour(ErreurCommission):
    """Le dossier n'est pas (ou plus) à l'ordre du jour de cette session."""


class DejaDecide(ErreurCommission):
    """Une décision est déjà enregistrée pour ce dossier dans cette session."""


class SessionClose(ErreurCommission):
    """La session est clôturée (ou n'accepte plus cette action)."""


class ActionCommissionNonAutorisee(PermissionDenied):
    """L'utilisateur ne gère pas les sessions de ce PLIE, ou ne siège pas à cette session."""
