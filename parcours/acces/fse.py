"""Les opérations FSE+ et leur export Ma Démarche FSE (docs/fse.md).

- L'animation et la direction du PLIE (et son administrateur) voient toutes ses opérations,
  leurs participants, et exportent.
- Le porteur d'une opération (un référent, un référent d'étape, l'animation ou la direction de
  la structure porteuse) voit ses opérations et leurs participants, et exporte.
- Un financeur voit les opérations qu'il finance, en chiffres seulement : ni noms, ni contrôle,
  ni export (données nominatives).
Hors de là : 404."""

from django.db.models import Q

from parcours.acces.garde import droit, liste
from parcours.core.enums import Role
from parcours.core.perimetre import perimetre
from parcours.core.roles import ROLES_ANIMATION, ROLES_PILOTAGE

# Les rôles qui, dans la structure porteuse d'une opération, en suivent les participants.
ROLES_PORTEUR_FSE = frozenset({Role.REFERENT, Role.REFERENT_ETAPE, Role.ANIMATEUR, Role.DIRECTION})


def _structures(user, roles) -> set[int]:
    p = perimetre(user)
    return set().union(*(p.structures(r) for r in roles)) if roles else set()


def _filtre_nominatif(user) -> Q:
    return Q(plie_id__in=perimetre(user).plies(ROLES_PILOTAGE)) | Q(
        structure_porteuse_id__in=_structures(user, ROLES_PORTEUR_FSE)
    )


@droit
def voit_les_operations_fse(user) -> bool:
    """Ouvre la liste des opérations FSE+ (filtrée ensuite) : pilotage, porteurs, financeurs."""
    roles = perimetre(user).roles
    return bool(roles & (ROLES_PILOTAGE | ROLES_PORTEUR_FSE | {Role.FINANCEUR}))


@liste("fse.OperationFse")
def operations_fse_visibles(user, queryset):
    """Les opérations qu'on lit : celles de son PLIE (pilotage), celles que porte sa structure,
    celles que finance sa structure (financeur : en chiffres seulement)."""
    return queryset.filter(
        _filtre_nominatif(user) | Q(financeurs__in=_structures(user, [Role.FINANCEUR]))
    ).distinct()


@liste("fse.OperationFse")
def operations_fse_nominatives(user, queryset):
    """Les opérations dont on voit les participants par leur nom, le contrôle préalable et
    l'export Ma Démarche FSE : pilotage du PLIE et porteur, pas le financeur."""
    return queryset.filter(_filtre_nominatif(user))


@droit
def peut_voir_les_participants_fse(user, operation) -> bool:
    p = perimetre(user)
    return p.a_role(operation.plie_id, ROLES_PILOTAGE) or (
        operation.structure_porteuse_id in _structures(user, ROLES_PORTEUR_FSE)
    )


# L'export est nominatif : le même droit que la liste des participants.
peut_exporter_fse = peut_voir_les_participants_fse


# Déclarent et modifient les opérations FSE+ du PLIE : l'animation, la direction, l'administrateur.
ROLES_DECLARATION_FSE = frozenset({*ROLES_ANIMATION, Role.ADMIN})


@droit
def peut_declarer_operations_fse(user, plie_id: int) -> bool:
    return perimetre(user).a_role(plie_id, ROLES_DECLARATION_FSE)


def plies_declarant_operations_fse(user) -> set[int]:
    if getattr(user, "is_superuser", False) and user.is_active:
        from parcours.core.models import PLIE

        return set(PLIE.objects.values_list("pk", flat=True))
    return perimetre(user).plies(ROLES_DECLARATION_FSE)
