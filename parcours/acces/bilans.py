"""Les bilans du PLIE (docs/bilans.md).

- Bilan d'activité annuel : l'animation et la direction du PLIE (tout le PLIE).
- Bilan d'exécution d'une opération FSE+ : l'animation et la direction de son PLIE ; le
  porteur de l'opération (mêmes rôles que l'export Ma Démarche FSE, `peut_exporter_fse`) ; un
  financeur de l'opération (les indicateurs ne portent que des chiffres, aucun nom).
Hors de là : 404. Le périmètre des calculs (`Filtres`) est fixé par l'écran à partir de ces
prédicats : le PLIE pour l'activité, le PLIE et l'opération pour l'exécution."""

from django.db.models import Q

from parcours.acces.fse import ROLES_PORTEUR_FSE
from parcours.acces.garde import droit, liste
from parcours.core.enums import Role
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import ROLES_ANIMATION

ROLES_BILAN_ACTIVITE = ROLES_ANIMATION


def plies_bilan_activite(user) -> set[int]:
    """Les PLIE dont `user` édite le bilan d'activité."""
    if not actif(user):
        return set()
    if user.is_superuser:
        from parcours.core.models import PLIE

        return set(PLIE.objects.values_list("pk", flat=True))
    return perimetre(user).plies(ROLES_BILAN_ACTIVITE)


@droit
def peut_editer_bilan_activite(user, plie_id: int) -> bool:
    return perimetre(user).a_role(plie_id, ROLES_BILAN_ACTIVITE)


def _structures(user, roles) -> set[int]:
    p = perimetre(user)
    return set().union(*(p.structures(r) for r in roles))


@liste("fse.OperationFse")
def operations_bilan_execution(user, queryset):
    """Les opérations dont `user` édite le bilan d'exécution."""
    return queryset.filter(
        Q(plie_id__in=perimetre(user).plies(ROLES_ANIMATION))
        | Q(structure_porteuse_id__in=_structures(user, ROLES_PORTEUR_FSE))
        | Q(financeurs__in=_structures(user, [Role.FINANCEUR]))
    ).distinct()


@droit
def voit_les_bilans(user) -> bool:
    """Ouvre la page des bilans (sinon 404) : une requête au plus, pour les porteurs et
    financeurs (l'animation et la direction y ont toujours leur bilan d'activité)."""
    if perimetre(user).plies(ROLES_BILAN_ACTIVITE):
        return True
    if not perimetre(user).roles & (ROLES_PORTEUR_FSE | {Role.FINANCEUR}):
        return False
    return operations_bilan_execution(user).exists()
