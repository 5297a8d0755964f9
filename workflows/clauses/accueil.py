"""Ce que l'accueil montre à un compte de donneur d'ordre (issue 12) : le lien de son tableau
d'impact (page, XLSX, PDF) et des bilans de ses opérations, au lieu d'une page sans entrée."""

from parcours import acces
from parcours.core.enums import Role


def tableaux_d_impact(user) -> list:
    """Les donneurs d'ordre dont l'utilisateur tient le compte (rôle « donneur d'ordre », par
    la structure du donneur d'ordre), par la politique d'accès ; une requête, aucune pour les
    autres rôles."""
    structures = acces.perimetre(user).structures(Role.DONNEUR_ORDRE)
    if not structures:
        return []
    return list(
        acces.donneurs_ordre_visibles(user)
        .filter(structure_id__in=structures)
        .select_related("plie")
        .order_by("nom", "pk")
    )
