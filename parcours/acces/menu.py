"""Le menu de gauche : les applications que l'utilisateur peut utiliser (config/menu.py).

Le menu ne fait que masquer : chaque page applique de toute façon la politique d'accès (404)."""

from parcours.acces.clauses import voit_les_besoins, voit_les_clauses
from parcours.acces.controles import voit_les_controles
from parcours.acces.fse import voit_les_operations_fse
from parcours.acces.garde import droit
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import (
    ROLES_ADMINISTRATION,
    ROLES_ENTREPRISES,
    ROLES_GESTION_PORTEFEUILLES,
    ROLES_GESTION_SESSIONS,
    ROLES_JOURNAL,
    ROLES_MENU_PARTICIPANTS,
    ROLES_REFERENT,
    ROLES_SIEGE,
)


@droit
def _voit_avec_roles(user, roles) -> bool:
    return bool(perimetre(user).plies(roles))


def voit_le_menu_accueil(user) -> bool:
    return actif(user)


def voit_le_menu_participants(user) -> bool:
    return _voit_avec_roles(user, ROLES_MENU_PARTICIPANTS)


def voit_le_menu_commissions(user) -> bool:
    """Les séances qu'il gère ou où il peut siéger (`sessions_visibles`)."""
    return _voit_avec_roles(user, ROLES_GESTION_SESSIONS | ROLES_SIEGE)


def voit_le_menu_clauses(user) -> bool:
    return voit_les_clauses(user) or voit_les_besoins(user)


def voit_le_menu_entreprises(user) -> bool:
    """Le réseau d'entreprises (`ROLES_ENTREPRISES`) ; les référents, pour les offres diffusées."""
    return _voit_avec_roles(user, ROLES_ENTREPRISES | ROLES_REFERENT)


def voit_le_menu_portefeuilles(user) -> bool:
    """La page des portefeuilles : l'animation et la direction (`peut_gerer_portefeuilles`)."""
    return _voit_avec_roles(user, ROLES_GESTION_PORTEFEUILLES)


def voit_le_menu_administration(user) -> bool:
    return _voit_avec_roles(user, ROLES_ADMINISTRATION)


def voit_le_journal(user) -> bool:
    return _voit_avec_roles(user, ROLES_JOURNAL)


def voit_le_menu_fse(user) -> bool:
    """Les opérations FSE+ ; pour le contrôleur, ses contrôles de service fait."""
    return voit_les_operations_fse(user) or voit_les_controles(user)
