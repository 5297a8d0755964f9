"""Le périmètre d'un utilisateur : ses adhésions actives, résumées par PLIE et par rôle.

Des données du cœur (les adhésions), lues une fois par requête : la politique d'accès
(`parcours/acces/`) et les services du domaine s'en servent sans dépendre l'un de l'autre."""

import datetime
import functools
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Exists
from django.utils import timezone

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
    # Suppléant d'un intérim actif : sans intérim, « Mes tâches » lit les seules tâches du compte
    # par l'index du propriétaire, dans l'ordre, et s'arrête à la page (docs/PERFORMANCE.md).
    # Vrai quand on ne sait pas, comme ci-dessus.
    suppleant: bool = True

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
    sql, valeurs = _requete_des_adhesions()
    jour = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(sql, [{_JOUR: jour, _UTILISATEUR: user.pk}.get(v, v) for v in valeurs])
        lignes = cursor.fetchall()
    for role, structure_id, plie_id, _, _ in lignes:
        roles_par_plie.setdefault(plie_id, set()).add(role)
        structures_par_role.setdefault(role, set()).add(structure_id)
    resultat = Perimetre(
        {plie: frozenset(r) for plie, r in roles_par_plie.items()},
        {role: frozenset(s) for role, s in structures_par_role.items()},
        lignes[0][3] if lignes else True,
        lignes[0][4] if lignes else True,
    )
    user._perimetre_plie = resultat
    return resultat


# Le jour et l'utilisateur de la requête des adhésions, le temps de la compiler : des valeurs
# qu'aucune adhésion ni aucun compte ne porte, remplacées à chaque exécution.
_JOUR = datetime.date(1, 1, 1)
_UTILISATEUR = -1


@functools.cache
def _requete_des_adhesions() -> tuple[str, tuple]:
    """Le SQL des adhésions actives d'un utilisateur (`MembershipQuerySet.actives`, la seule
    définition) et de ses droits explicites, compilé une fois par processus : l'ORM reconstruisait
    et recompilait ses sous-requêtes `Exists` à chaque requête HTTP. Ses paramètres, où `_JOUR` et
    `_UTILISATEUR` marquent les places du jour et de l'utilisateur."""
    adhesions = (
        Membership.objects.actives(_JOUR)
        .filter(user_id=_UTILISATEUR)
        .order_by()  # l'ordre du modèle ne sert pas ici (ensembles) : pas de tri
        .annotate(
            droits=_droits_explicites_sur_des_parcours(_UTILISATEUR),
            suppleant=_suppleant_d_un_interim(_UTILISATEUR, _JOUR),
        )
        .values_list("role", "structure_id", "structure__plie_id", "droits", "suppleant")
    )
    sql, valeurs = adhesions.query.sql_with_params()
    if not {_JOUR, _UTILISATEUR} <= set(valeurs):  # l'ORM aurait converti une sentinelle
        raise RuntimeError(f"Requête des adhésions sans le jour ou l'utilisateur : {valeurs}")
    return sql, tuple(valeurs)


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


def _suppleant_d_un_interim(user_id, jour):
    """Un intérim actif ce jour dont `user_id` est le suppléant (`DelegationQuerySet.actives`,
    la seule définition ; modèle nommé sans l'importer, comme ci-dessus)."""
    delegations = apps.get_model("accompagnement", "Delegation").objects.actives(jour)
    return Exists(delegations.filter(suppleant_id=user_id))


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
