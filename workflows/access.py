"""La politique d'accès appliquée aux processus et tâches viewflow.

Viewflow ne filtre pas ses listes par ligne (problème amont n° 505) et répond 403 là où nous
voulons 404 : chaque processus porte son parcours en `artifact`, et l'on ne voit un processus,
une tâche ou son diagramme que si l'on voit ce parcours (`parcours.acces`).
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from guardian.models import GroupObjectPermission, UserObjectPermission
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement.models import Delegation, Parcours
from parcours.core.enums import Role
from parcours.core.models import PLIE
from parcours.core.perimetre import actif

ANIMER_PLIE = "core.animer_plie"
SUIVRE_EMPLOI_PLIE = "core.suivre_emploi_plie"


def _parcours_ct():
    return ContentType.objects.get_for_model(Parcours)


def _condition_processus(user, prefixe="") -> Q:
    """Q sur un processus (ou une tâche, par `prefixe`) : il porte un parcours visible ou une
    candidature visible. Chaque côté est une sous-requête de clés (`UNION ALL` de petites
    requêtes indexées, `parcours.acces.dossiers.ids_parcours_visibles`) comparée à
    `artifact_object_id` : partant des tâches (celles du propriétaire, la file d'un PLIE), un
    test par clé, jamais un parcours de tous les parcours."""
    from parcours.clauses.models import Positionnement

    ids = acces.ids_parcours_visibles(user)
    parcours = Q(**{f"{prefixe}artifact_content_type": _parcours_ct()})
    if ids is not None:
        parcours &= Q(**{f"{prefixe}artifact_object_id__in": ids})
    candidatures = Q(
        **{
            f"{prefixe}artifact_content_type": ContentType.objects.get_for_model(Positionnement),
            f"{prefixe}artifact_object_id__in": acces.positionnements_visibles(user)
            .order_by()
            .values("pk"),
        }
    )
    return parcours | candidatures


def processus_visibles(user, queryset=None):
    queryset = Process.objects.all() if queryset is None else queryset
    return queryset.filter(_condition_processus(user))


def taches_visibles(user, queryset=None):
    queryset = Task.objects.all() if queryset is None else queryset
    return queryset.filter(_condition_processus(user, "process__"))


def _titulaires_suppleants(user, jour=None):
    return Delegation.objects.actives(jour).filter(suppleant_id=user.pk).values("titulaire_id")


def _couverte_par_un_interim(user, jour=None) -> Exists:
    """Sur une tâche : une délégation active au suppléant `user`, dont le titulaire est le
    propriétaire de la tâche, couvre le dossier de son processus. Le processus est sondé par sa
    clé dans la sous-requête : la requête qui l'emploie n'a pas à joindre les processus."""
    delegations = Delegation.objects.actives(jour).filter(
        suppleant_id=user.pk, titulaire_id=OuterRef(OuterRef("owner_id"))
    )
    return Exists(
        Process.objects.filter(
            pk=OuterRef("process_id"),
            artifact_content_type=_parcours_ct(),
            artifact_object_id__in=delegations.values("parcours_couverts"),
        )
    )


def filtre_taches_en_interim(user, jour=None) -> Q:
    """Les tâches d'un titulaire absent que `user` tient pendant son intérim
    (docs/accompagnement.md) : une délégation active (non levée, début ≤ aujourd'hui ≤ fin) au
    suppléant `user`, dont le titulaire est le propriétaire de la tâche et qui couvre le dossier
    du processus. Les tâches ne sont pas réassignées : le titulaire les retrouve à la fin.
    Le propriétaire est d'abord cherché parmi les titulaires suppléés (index sur le
    propriétaire), puis la délégation qui couvre le dossier."""
    if not actif(user):
        return Q(pk__in=[])
    return Q(owner_id__in=_titulaires_suppleants(user, jour)) & _couverte_par_un_interim(user, jour)


def taches_en_interim(user):
    """Les tâches ouvertes des titulaires dont `user` assure l'intérim."""
    return taches_visibles(user).filter(filtre_taches_en_interim(user), status=STATUS.ASSIGNED)


def peut_executer_en_interim(user, task) -> bool:
    return Task.objects.filter(pk=task.pk).filter(filtre_taches_en_interim(user)).exists()


def _proprietaires(user):
    """`owner_id = ANY(…)` : l'utilisateur et les titulaires qu'il supplée, en un tableau que
    PostgreSQL calcule une fois, puis cherche dans l'index des tâches assignées."""
    titulaires = ArraySubquery(_titulaires_suppleants(user).order_by())
    moi = Cast(Value(user.pk), BigIntegerField())
    tableau = Func(titulaires, moi, function="array_append", output_field=BigIntegerField())
    return Func(
        F("owner_id"),
        tableau,
        arg_joiner=" = ANY(",
        template="%(expressions)s)",
        output_field=BooleanField(),
    )


def _processus_visible_par_ligne(user):
    """Le processus d'une tâche (`process_id` de la requête englobante), s'il porte un parcours
    ou une candidature visible : les mêmes prédicats (`parcours.acces`), sondés sur la ligne de
    l'objet trouvée par sa clé."""
    from parcours.clauses.models import Positionnement

    objet = {"pk": OuterRef("artifact_object_id")}
    parcours = Parcours.objects.filter(acces.filtre_parcours_visible_par_ligne(user), **objet)
    candidature = acces.positionnements_visibles(user, Positionnement.objects.filter(**objet))
    type_candidature = ContentType.objects.get_for_model(Positionnement)
    return Process.objects.filter(pk=OuterRef("process_id")).filter(
        (Q(artifact_content_type=_parcours_ct()) & Q(Exists(parcours)))
        | (Q(artifact_content_type=type_candidature) & Q(Exists(candidature)))
    )


def dossier_visible_par_ligne(user) -> Q:
    """Sur une tâche déjà restreinte par un filtre fort (son propriétaire) : son processus porte
    un dossier que `user` voit, sondé par la clé du processus. `process_id = (… LIMIT 1)` : une
    sous-requête corrélée bornée, que PostgreSQL ne transforme pas en jointure ; une
    semi-jointure (`taches_visibles`) lui fait parcourir tous les processus du pays (134 000 à
    100 000 participants, 37 ms pour les alertes d'un référent)."""
    visible = _processus_visible_par_ligne(user)
    return Q(process_id=Subquery(visible.order_by().values("pk")[:1]))


def mes_taches(user):
    """Les tâches assignées à l'utilisateur et encore ouvertes, et celles qu'il tient pendant un
    intérim (`filtre_taches_en_interim`), dont il voit le dossier.

    Le propriétaire est déjà un filtre fort : on ne calcule pas l'ensemble des dossiers visibles
    (`processus_visibles`), on sonde le dossier de chacune de ses tâches par sa clé
    (`filtre_parcours_visible_par_ligne`, mêmes sources). Sans intérim, ses seules tâches, lues
    dans l'ordre de l'index des tâches assignées ; suppléant, une seule lecture de cet index pour
    lui et ses titulaires (`ANY` d'un tableau), la délégation n'étant vérifiée que pour les
    tâches d'un titulaire. Planification et exécution mesurées par
    `python -m bench.mesure --boite` (docs/PERFORMANCE.md)."""
    if not actif(user):
        return Task.objects.none()
    if acces.perimetre(user).suppleant:
        proprietaires = [_proprietaires(user), Q(owner_id=user.pk) | _couverte_par_un_interim(user)]
    else:
        # Sans intérim : `owner_id = n`, que PostgreSQL lit dans l'ordre de l'index des tâches
        # assignées et arrête à la page ; `ANY(tableau)` lui faisait lire et trier toutes les
        # tâches du compte (245 sondes de dossier au lieu de 52 à 100 000 participants).
        proprietaires = [Q(owner_id=user.pk)]
    return Task.objects.filter(
        *proprietaires, dossier_visible_par_ligne(user), status=STATUS.ASSIGNED
    )


def _file_du_droit(user, perm, roles) -> list:
    """Les tâches nouvelles sans propriétaire de la file du droit objet `perm`
    (`core.animer_plie`…) dans les PLIE où `user` le tient : par un rôle actif
    (`parcours.core.backends`) ou par une permission objet django-guardian sur le PLIE, jamais
    par une permission globale. Une requête par origine du droit, chacune sur l'index de la file
    (droit, PLIE) ; les permissions objet restent des sous-requêtes (pas de requête de plus
    pour l'accueil). `owner_permission_obj_pk` est un texte, comme `object_pk` de guardian."""
    codename = perm.split(".", 1)[1]
    droit = {
        "content_type": ContentType.objects.get_for_model(PLIE),
        "permission__codename": codename,
    }
    par_utilisateur = UserObjectPermission.objects.filter(user_id=user.pk, **droit)
    par_groupe = GroupObjectPermission.objects.filter(group__user=user.pk, **droit)
    file = Task.objects.filter(owner_permission=perm, owner__isnull=True, status=STATUS.NEW)
    requetes = [
        file.filter(owner_permission_obj_pk__in=par_utilisateur.values("object_pk")),
        file.filter(owner_permission_obj_pk__in=par_groupe.values("object_pk")),
    ]
    if plies := acces.perimetre(user).plies(roles):
        requetes.append(file.filter(owner_permission_obj_pk__in=[str(p) for p in plies]))
    return [r.order_by().values("pk") for r in requetes]


def _condition_file(user) -> Q:
    if user.is_superuser:
        return Q(owner_permission__in=[ANIMER_PLIE, SUIVRE_EMPLOI_PLIE])
    premiere, *autres = _file_du_droit(
        user, ANIMER_PLIE, {Role.ANIMATEUR, Role.DIRECTION}
    ) + _file_du_droit(user, SUIVRE_EMPLOI_PLIE, {Role.CRE})  # docs/emploi.md
    return Q(pk__in=premiere.union(*autres, all=True))


def taches_a_prendre(user):
    """La file : tâches non assignées que l'utilisateur a le droit de prendre.

    Le droit d'animation d'un PLIE ouvre la file de l'animation, celui de suivre l'emploi celle
    des CRE ; une tâche sans droit requis n'est jamais proposée à tous (piège viewflow : elle
    serait prenable par n'importe qui). Les files sont l'union de petites requêtes indexées.
    """
    return taches_visibles(user).filter(
        _condition_file(user), owner__isnull=True, status=STATUS.NEW
    )


def compter_a_prendre(user, limite: int) -> int:
    """Les tâches de la file (`taches_a_prendre`) comptées jusqu'à `limite` : le dossier de
    chaque tâche sondé par la clé de son processus (`dossier_visible_par_ligne`), le compte
    s'arrête à `limite`. La semi-jointure de `taches_visibles` calculait d'abord les dossiers
    visibles de tout le PLIE (750 à 100 000 participants pour un ou une CRE). Le
    superutilisateur garde la définition de `taches_a_prendre` : elle ne demande pas que l'objet
    du processus existe encore (un dossier supprimé dans l'administration), la sonde si."""
    if user.is_superuser:
        file = taches_a_prendre(user)
    else:
        file = Task.objects.filter(
            _condition_file(user),
            dossier_visible_par_ligne(user),
            owner__isnull=True,
            status=STATUS.NEW,
        )
    return file.order_by()[:limite].count()


def processus_visible(user, process_pk) -> bool:
    return processus_visibles(user).filter(pk=process_pk).exists()


# — Les adresses des tâches : une tâche se résout dans le processus de l'URL —


def resoudre_adresse(user, flow_class, process_pk, task_pk=None, noeud=None) -> bool:
    """Vrai si le processus `process_pk` est un processus de `flow_class` que `user` voit et, pour
    une URL de tâche, si la tâche `task_pk` appartient à ce processus et au nœud `noeud` de l'URL.

    Viewflow charge la tâche par `task_pk` seul : sans ce contrôle, l'URL d'un processus visible
    ouvrirait la tâche d'un autre processus, d'un autre PLIE (docs/architecture.md)."""
    if task_pk is None:
        return processus_visibles(
            user, Process.objects.filter(pk=process_pk, flow_class=flow_class)
        ).exists()
    tache = Task.objects.filter(pk=task_pk, process_id=process_pk, process__flow_class=flow_class)
    if noeud is not None:
        node = flow_class.instance.node(noeud, no_obsolete=True)
        if node is None:  # l'espace de noms de l'URL n'est pas un nœud du flux
            return False
        tache = tache.filter(flow_task=node)
    # Une requête, la tâche jointe à son processus : ni sous-requête des processus à recopier
    # ni tâche à instancier (`exists`), sur chaque URL de tâche.
    return taches_visibles(user, tache).exists()


# — Le droit du domaine d'agir sur une tâche (`workflows.nodes.View.Droit`) —


def artefact_frais(task, model):
    """L'objet du processus de `task`, relu en base, s'il est de type `model`.

    Pas `task.process.artifact` : la clé générique garde l'objet en cache sur le processus, que
    l'activation réutilise ensuite ; les aiguillages du flux liraient l'état d'avant la tâche."""
    process = task.process
    if process.artifact_content_type_id != ContentType.objects.get_for_model(model).pk:
        return None
    return model.objects.filter(pk=process.artifact_object_id).first()


def droit_sur_le_parcours(*roles):
    """Agir sur la tâche d'un parcours : tenir l'un des `roles` pour ce parcours précis
    (`acces.peut_effectuer` : rôle actif dans son PLIE, son portefeuille, intérim…)."""
    roles = frozenset(roles)

    def predicat(user, task) -> bool:
        parcours = artefact_frais(task, Parcours)
        return parcours is not None and acces.peut_effectuer(user, parcours, roles)

    predicat.roles = roles  # qui peut recevoir ces tâches (filtre « type » des boîtes)
    return predicat


def _droit_sur_le_plie(perm, roles):
    """Agir sur la tâche d'un parcours au nom d'un droit du PLIE (`core.animer_plie`…) : le
    droit objet sur le PLIE du dossier (rôle actif ou permission objet), jamais global. `roles` :
    les rôles qui tiennent ce droit (parcours/core/backends), pour le filtre des boîtes."""

    def predicat(user, task) -> bool:
        parcours = artefact_frais(task, Parcours)
        return parcours is not None and user.has_perm(perm, parcours.plie)

    predicat.roles = frozenset(roles)
    return predicat


droit_d_animation = _droit_sur_le_plie(ANIMER_PLIE, {Role.ANIMATEUR, Role.DIRECTION})
droit_du_referent = droit_sur_le_parcours(*acces.ROLES_REFERENT)
# Les compléments : le prescripteur de la structure, ou l'animation qui a prescrit elle-même
# (venue spontanée).
droit_du_prescripteur = droit_sur_le_parcours(Role.PRESCRIPTEUR, Role.ANIMATEUR, Role.DIRECTION)
# Le suivi dans l'emploi : la file partagée des CRE du PLIE du dossier (docs/emploi.md).
droit_du_cre = _droit_sur_le_plie(SUIVRE_EMPLOI_PLIE, {Role.CRE})
