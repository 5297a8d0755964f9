"""La politique d'accès appliquée aux processus et tâches viewflow.

Viewflow ne filtre pas ses listes par ligne (problème amont n° 505) et répond 403 là où nous
voulons 404 : chaque processus porte son parcours en `artifact`, et l'on ne voit un processus,
une tâche ou son diagramme que si l'on voit ce parcours (`parcours.access`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours import access
from parcours.accompagnement.models import Delegation, Parcours
from parcours.core.enums import Role

ANIMER_PLIE = "core.animer_plie"
SUIVRE_EMPLOI_PLIE = "core.suivre_emploi_plie"


def _parcours_ct():
    return ContentType.objects.get_for_model(Parcours)


def _candidatures_visibles(user, prefixe="") -> Q:
    """Les processus de candidature sur une clause (workflows.clauses) portent leur
    positionnement : visibles si l'on voit ce positionnement (parcours.access)."""
    from parcours.clauses.models import Positionnement

    return Q(
        **{
            f"{prefixe}artifact_content_type": ContentType.objects.get_for_model(Positionnement),
            f"{prefixe}artifact_object_id__in": access.positionnements_visibles(user).values("pk"),
        }
    )


def processus_visibles(user, queryset=None):
    queryset = Process.objects.all() if queryset is None else queryset
    return queryset.filter(
        Q(
            artifact_content_type=_parcours_ct(),
            artifact_object_id__in=access.parcours_visibles(user).values("pk"),
        )
        | _candidatures_visibles(user)
    )


def taches_visibles(user, queryset=None):
    queryset = Task.objects.all() if queryset is None else queryset
    return queryset.filter(
        Q(
            process__artifact_content_type=_parcours_ct(),
            process__artifact_object_id__in=access.parcours_visibles(user).values("pk"),
        )
        | _candidatures_visibles(user, "process__")
    )


def filtre_taches_en_interim(user, jour=None) -> Q:
    """Les tâches d'un titulaire absent que `user` tient pendant son intérim
    (docs/accompagnement.md) : une délégation active (non levée, début ≤ aujourd'hui ≤ fin) au
    suppléant `user`, dont le titulaire est le propriétaire de la tâche et qui couvre le dossier
    du processus. Les tâches ne sont pas réassignées : le titulaire les retrouve à la fin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    delegations = Delegation.objects.actives(jour).filter(
        suppleant_id=user.pk,
        titulaire_id=OuterRef("owner_id"),
        parcours_couverts=OuterRef("process__artifact_object_id"),
    )
    return Q(process__artifact_content_type=_parcours_ct()) & Q(Exists(delegations))


def taches_en_interim(user):
    """Les tâches ouvertes des titulaires dont `user` assure l'intérim."""
    return taches_visibles(user).filter(filtre_taches_en_interim(user), status=STATUS.ASSIGNED)


def peut_executer_en_interim(user, task) -> bool:
    return Task.objects.filter(pk=task.pk).filter(filtre_taches_en_interim(user)).exists()


def mes_taches(user):
    """Les tâches assignées à l'utilisateur et encore ouvertes, et celles qu'il tient pendant un
    intérim (`filtre_taches_en_interim`)."""
    return taches_visibles(user).filter(
        Q(owner=user) | filtre_taches_en_interim(user), status=STATUS.ASSIGNED
    )


def taches_a_prendre(user):
    """La file : tâches non assignées que l'utilisateur a le droit de prendre.

    Le droit d'animation d'un PLIE ouvre la file de l'animation, celui de suivre l'emploi celle
    des CRE ; une tâche sans droit requis
    n'est jamais proposée à tous (piège viewflow : elle serait prenable par n'importe qui).
    """
    plies = access.perimetre(user).plies({Role.ANIMATEUR, Role.DIRECTION})
    plies_cre = access.perimetre(user).plies({Role.CRE})
    if user.is_superuser:
        condition = Q(owner_permission__in=[ANIMER_PLIE, SUIVRE_EMPLOI_PLIE])
    else:
        condition = Q(
            owner_permission=ANIMER_PLIE, owner_permission_obj_pk__in=[str(p) for p in plies]
        )
        # Suivi dans l'emploi : la file partagée des CRE du PLIE (docs/emploi.md).
        condition |= Q(
            owner_permission=SUIVRE_EMPLOI_PLIE,
            owner_permission_obj_pk__in=[str(p) for p in plies_cre],
        )
    return taches_visibles(user).filter(condition, owner__isnull=True, status=STATUS.NEW)


def processus_visible(user, process_pk) -> bool:
    return processus_visibles(user).filter(pk=process_pk).exists()
