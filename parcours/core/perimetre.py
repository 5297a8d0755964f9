"""Le périmètre d'un utilisateur : ses adhésions actives, résumées par PLIE et par rôle.

Des données du cœur (les adhésions), lues une fois par requête : la politique d'accès
(`parcours/acces/`) et les services du domaine s'en servent sans dépendre l'un de l'autre."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Exists

from parcours.core.models import Membership, Structure
from parcours.core.roles import ROLES_REFERENT


def actif(user) -> bool:
    """Un compte connecté et actif : la première condition de tout droit."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@dataclass(frozen=True)
class Perimetre:
    """Les adhésions actives d'un utilisateur, résumées : (PLIE, rôle) et (structure, rôle)."""

    roles_par_plie: dict[int, frozenset[str]] = field(default_factory=dict)
    structures_par_role: dict[str, frozenset[int]] = field(default_factory=dict)
    # Des droits django-guardian sur des parcours (intérim, partage), à lui ou à un groupe : sans
    # eux, les prédicats d'accès n'écrivent pas leurs sous-requêtes (planification de la boîte,
    # docs/PERFORMANCE.md). Vrai quand on ne sait pas (aucune adhésion lue) : jamais moins de droit.
    droits_explicites: bool = True

    def plies(self, roles) -> set[int]:
        return {plie for plie, tenus in self.roles_par_plie.items() if tenus & set(roles)}

    def structures(self, role) -> frozenset[int]:
        return self.structures_par_role.get(role, frozenset())

    def a_role(self, plie_id: int, roles) -> bool:
        return bool(self.roles_par_plie.get(plie_id, frozenset()) & set(roles))

    @property
    def roles(self) -> set[str]:
        return set().union(*self.roles_par_plie.values()) if self.roles_par_plie else set()


def perimetre(user) -> Perimetre:
    """Calculé une fois par requête (mis en cache sur l'objet utilisateur)."""
    if not getattr(user, "is_authenticated", False):
        return Perimetre()
    cache = getattr(user, "_perimetre_plie", None)
    if cache is not None:
        return cache
    roles_par_plie: dict[int, set[str]] = {}
    structures_par_role: dict[str, set[int]] = {}
    lignes = list(
        Membership.objects.actives()
        .filter(user=user)
        .annotate(droits=_droits_explicites_sur_des_parcours(user.pk))
        .values_list("role", "structure_id", "structure__plie_id", "droits")
    )
    for role, structure_id, plie_id, _ in lignes:
        roles_par_plie.setdefault(plie_id, set()).add(role)
        structures_par_role.setdefault(role, set()).add(structure_id)
    resultat = Perimetre(
        {plie: frozenset(r) for plie, r in roles_par_plie.items()},
        {role: frozenset(s) for role, s in structures_par_role.items()},
        lignes[0][3] if lignes else True,
    )
    user._perimetre_plie = resultat
    return resultat


def _droits_explicites_sur_des_parcours(user_id):
    """Lu avec les adhésions, dans la même requête. Les tables des droits sont celles des
    parcours (`accompagnement`), nommées ici sans les importer : le cœur n'en dépend pas."""
    droits = [
        apps.get_model("accompagnement", "ParcoursUserObjectPermission").objects.filter(
            user_id=user_id
        ),
        apps.get_model("accompagnement", "ParcoursGroupObjectPermission").objects.filter(
            group__user=user_id
        ),
    ]
    return Exists(droits[0]) | Exists(droits[1])


def structure_de_referent(user, plie_id: int) -> Structure | None:
    """La structure où `user` est référent actif dans ce PLIE (la première, s'il en a plusieurs)."""
    membership = (
        Membership.objects.actives()
        .filter(user=user, role__in=ROLES_REFERENT, structure__plie_id=plie_id)
        .select_related("structure")
        .order_by("structure__nom")
        .first()
    )
    return membership.structure if membership else None
