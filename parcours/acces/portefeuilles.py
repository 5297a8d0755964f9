"""Portefeuilles : changement de référent, intérim (docs/accompagnement.md)."""

from django.db.models import Q

from parcours.acces.garde import droit, liste
from parcours.core.perimetre import perimetre
from parcours.core.roles import ROLES_GESTION_PORTEFEUILLES


@droit
def peut_gerer_portefeuilles(user, plie_id: int) -> bool:
    """Réaffecter des dossiers (un seul ou tout un portefeuille), organiser un intérim."""
    return perimetre(user).a_role(plie_id, ROLES_GESTION_PORTEFEUILLES)


@liste("accompagnement.Delegation")
def delegations_visibles(user, queryset):
    """Les intérims des PLIE dont l'utilisateur gère les portefeuilles, et ceux où il est
    titulaire ou suppléant."""
    plies = perimetre(user).plies(ROLES_GESTION_PORTEFEUILLES)
    return queryset.filter(Q(plie_id__in=plies) | Q(titulaire=user) | Q(suppleant=user))
