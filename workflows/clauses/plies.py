"""Les PLIE où l'utilisateur agit sur les clauses : les listes de choix des formulaires, les
écrans d'heures et le tableau de bord du facilitateur en dépendent."""

from parcours import acces
from parcours.core.models import PLIE


def _plies(user, roles):
    if user.is_superuser:
        return PLIE.objects.order_by("nom")
    return PLIE.objects.filter(pk__in=acces.perimetre(user).plies(roles)).order_by("nom")


def plies_facilites(user):
    """Les PLIE où l'utilisateur gère les clauses et saisit des heures (facilitateur, admin)."""
    return _plies(user, acces.ROLES_FACILITATION)


def plies_pilotage_clauses(user):
    """Les PLIE dont l'utilisateur lit toute l'activité clauses (facilitateur, animation,
    direction) : le tableau de bord du facilitateur."""
    return _plies(user, acces.ROLES_LECTURE_CLAUSES)
