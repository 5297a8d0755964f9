"""Qui voit quels parcours et participants, qui peut agir sur eux.

Périmètre dérivé des adhésions actives (`parcours.core.perimetre`) :
- animateur, direction, admin : tout le PLIE ;
- membre de commission : les dossiers inscrits à l'ordre du jour d'une séance non clôturée où il
  siège (membre ou président) — `commissions.mes_inscriptions_en_session` — et, en lecture, ceux
  des séances clôturées où il était présent, tant que l'identité est conservée —
  `commissions.mes_inscriptions_en_session_close`, docs/commissions.md ;
- référent (et référent d'étape) : sa file active, dans les PLIE où il est référent ;
- prescripteur : les prescriptions de sa structure ;
- CRE : les parcours de son PLIE en emploi (`STATUTS_SUIVI_EMPLOI`, docs/emploi.md), et les
  parcours ouverts proposés sur une offre de son PLIE (`filtre_dossiers_mis_en_relation`) ;
- facilitateur, financeur, donneur d'ordre : rien par défaut ;
et, pour tous, les droits explicites accordés par django-guardian (intérim, partage de dossier).
Un dossier hors périmètre répond 404 : son existence n'est pas révélée.
"""

import functools
import operator

from django.db.models import Q

from parcours.acces.commissions import (
    a_siege_pour_le_dossier,
    mes_inscriptions_en_session,
    mes_inscriptions_en_session_close,
    peut_gerer_les_sessions,
    siege_pour_le_dossier,
)
from parcours.acces.garde import droit, liste
from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import (
    Parcours,
    ParcoursGroupObjectPermission,
    ParcoursUserObjectPermission,
)
from parcours.core.enums import Role
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import (
    ROLES_EMPLOI,
    ROLES_PILOTAGE,
    ROLES_REFERENT,
    ROLES_SUIVI_DOSSIER,
)
from parcours.entreprises.models import MiseEnRelation
from parcours.participants.models import Participant

# Le ou la CRE suit dans l'emploi les personnes de son PLIE (docs/emploi.md) : il n'y a pas de
# CRE par parcours, les tâches de suivi sont une file partagée par les CRE du PLIE.
STATUTS_SUIVI_EMPLOI = ("en_emploi",)


def _droits_explicites(user, codename: str) -> list:
    """Les droits django-guardian (intérim, partage) de l'utilisateur et de ses groupes sur des
    parcours, chacun avec le chemin vers son parcours : on part des droits (index sur
    l'utilisateur), jamais des parcours. Rien pour un compte qui n'en a aucun (lu avec son
    périmètre) : deux sous-requêtes de moins à planifier sur chaque page."""
    if not perimetre(user).droits_explicites:
        return []
    return [
        (
            ParcoursUserObjectPermission.objects.filter(
                user_id=user.pk, permission__codename=codename
            ),
            "content_object",
        ),
        (
            ParcoursGroupObjectPermission.objects.filter(
                group__user=user.pk, permission__codename=codename
            ),
            "content_object",
        ),
    ]


def _ids_mis_en_relation(user):
    plies = perimetre(user).plies({Role.CRE})
    if not plies:
        return None
    return MiseEnRelation.objects.filter(offre__plie_id__in=plies).order_by().values("parcours_id")


def filtre_dossiers_mis_en_relation(user) -> Q:
    """Pour le CRE : les parcours ouverts proposés sur une offre de son PLIE (« les personnes
    positionnées avec lui »)."""
    ids = _ids_mis_en_relation(user)
    if ids is None:
        return Q(pk__in=[])
    return Q(pk__in=ids) & ~Q(statut__in=[s.value for s in STATUTS_CLOS])


def _union(requetes):
    premiere, *autres = requetes
    return premiere.union(*autres, all=True) if autres else premiere


def _sources(user):
    """D'où viennent les parcours visibles : chaque source part du petit côté (les PLIE de
    l'utilisateur, ses dossiers de référent, ses séances, ses droits) par un index. Rend les
    conditions sur la ligne du parcours elle-même (`Q`), et les lignes d'autres tables qui
    mènent à un parcours (droits explicites, inscriptions en séance) avec le nom de ce lien.
    Seules les sources que son périmètre ouvre sont écrites."""
    p = perimetre(user)
    conditions = []
    if plies := p.plies(ROLES_PILOTAGE):
        conditions.append(Q(plie_id__in=plies))
    if plies := p.plies(ROLES_REFERENT):
        conditions.append(Q(referent_id=user.pk, plie_id__in=plies))
    if structures := p.structures(Role.PRESCRIPTEUR):
        conditions.append(Q(structure_prescriptrice_id__in=structures))
    if plies := p.plies({Role.CRE}):
        conditions.append(Q(plie_id__in=plies, statut__in=STATUTS_SUIVI_EMPLOI))
        conditions.append(filtre_dossiers_mis_en_relation(user))
    liens = _droits_explicites(user, "view_parcours")
    if p.plies({Role.COMMISSION}):
        liens.append((mes_inscriptions_en_session(user), "parcours"))
        liens.append((mes_inscriptions_en_session_close(user), "parcours"))
    return conditions, liens


def ids_parcours_visibles(user, champ: str = "pk"):
    """Les identifiants des parcours visibles (ou leur `champ`, `participant_id` pour les
    personnes), en une sous-requête `UNION ALL` de petites requêtes indexées
    (docs/PERFORMANCE.md) : PostgreSQL la calcule une fois (un PLIE au plus) puis la joint, au
    lieu d'évaluer un grand `OR` de sous-requêtes sur chaque parcours du pays. `None` pour un
    superutilisateur (pas de filtre)."""
    if not actif(user):
        return Parcours.objects.none().values(champ)
    if user.is_superuser:
        return None
    conditions, liens = _sources(user)
    requetes = _requetes(conditions, liens, champ)
    if not requetes:  # aucun rôle qui ouvre des dossiers, aucun droit explicite
        return Parcours.objects.none().values(champ)
    return _union(requetes)


def _requetes(conditions, liens, champ: str) -> list:
    requetes = [Parcours.objects.order_by().filter(c).values(champ) for c in conditions]
    for lignes, lien in liens:
        # Par la clé étrangère : l'identifiant lui-même, ou une jointure sur la clé primaire.
        chemin = f"{lien}_id" if champ == "pk" else f"{lien}__{champ}"
        requetes.append(lignes.order_by().values(chemin))
    return requetes


def plie_entier_visible(user) -> int | None:
    """Le PLIE dont l'utilisateur voit tous les parcours, et rien d'autre ; `None` sinon. Alors
    « ses parcours visibles » = « les parcours de ce PLIE » : la liste des participants lit le
    marqueur `Parcours.dernier_du_plie` au lieu de chercher le dernier parcours visible de chacun
    (docs/PERFORMANCE.md). Une requête quand le périmètre de pilotage tient en un PLIE : les
    autres sources (référent, CRE, séances, droits explicites) ne doivent rien ouvrir au-dehors."""
    if not actif(user) or user.is_superuser:
        return None
    p = perimetre(user)
    pilotes = p.plies(ROLES_PILOTAGE)
    if len(pilotes) != 1 or len(p.plies(set(p.roles))) != 1:
        return None
    (plie_id,) = pilotes
    conditions, liens = _sources(user)
    autres = _requetes([c for c in conditions if c != Q(plie_id__in=pilotes)], liens, "pk")
    if autres and Parcours.objects.filter(pk__in=_union(autres)).exclude(plie_id=plie_id).exists():
        return None
    return plie_id


def filtre_parcours_visibles(user) -> Q:
    ids = ids_parcours_visibles(user)
    return Q() if ids is None else Q(pk__in=ids)


def filtre_parcours_visible_par_ligne(user) -> Q:
    """Les mêmes sources (`_sources`), écrites comme un test sur une ligne de parcours déjà
    trouvée par sa clé : pour sonder quelques dossiers connus (les tâches de « Mes tâches »)
    sans calculer l'ensemble des parcours visibles. Chaque condition se lit sur la ligne ; les
    liens (droits explicites, séances) sont de petites sous-requêtes calculées une fois. Ne
    filtre pas une liste : sur tous les parcours du pays, ce `OR` n'a pas d'index
    (`ids_parcours_visibles` sert les listes)."""
    if not actif(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    conditions, liens = _sources(user)
    conditions += [Q(pk__in=lignes.order_by().values(f"{lien}_id")) for lignes, lien in liens]
    return functools.reduce(operator.or_, conditions, Q(pk__in=[]))


def parcours_visibles(user, queryset=None):
    queryset = Parcours.objects.all() if queryset is None else queryset
    return queryset.filter(filtre_parcours_visibles(user))


@liste("participants.Participant")
def participants_visibles(user, queryset):
    """Les personnes dont on voit au moins un parcours : les participants des mêmes sources
    (une jointure sur les clés, pas un `EXISTS` corrélé par personne du pays)."""
    return queryset.filter(pk__in=ids_parcours_visibles(user, "participant_id"))


def peut_voir(user, obj) -> bool:
    """Contrôle objet : le même prédicat que les listes, appliqué à un seul dossier."""
    if isinstance(obj, Parcours):
        return parcours_visibles(user).filter(pk=obj.pk).exists()
    if isinstance(obj, Participant):
        return participants_visibles(user).filter(pk=obj.pk).exists()
    return False


@droit
def peut_effectuer(user, parcours: Parcours, roles) -> bool:
    """L'utilisateur tient l'un des `roles` pour ce parcours précis, et le voit."""
    p = perimetre(user)
    roles = set(roles)
    if p.a_role(parcours.plie_id, roles & ROLES_PILOTAGE):
        return True
    if Role.COMMISSION in roles and siege_pour_le_dossier(user, parcours):
        return True
    if p.a_role(parcours.plie_id, roles & ROLES_REFERENT) and (
        parcours.referent_id == user.pk or user.has_perm("accompagnement.change_parcours", parcours)
    ):
        return True
    if Role.PRESCRIPTEUR in roles and parcours.structure_prescriptrice_id in p.structures(
        Role.PRESCRIPTEUR
    ):
        return True
    if Role.CRE in roles and p.a_role(parcours.plie_id, {Role.CRE}):
        return peut_voir(user, parcours)
    return False


def voit_le_suivi(user, parcours: Parcours) -> bool:
    """Le dossier complet d'un parcours visible ; sinon, l'entrée et son issue seulement. Le
    membre d'une séance close le relit comme il l'a lu pour décider (sans y agir)."""
    return peut_effectuer(user, parcours, ROLES_SUIVI_DOSSIER) or a_siege_pour_le_dossier(
        user, parcours
    )


def peut_voir_emploi(user, parcours) -> bool:
    """Les écrans de l'emploi et de la sortie (contrats, qualification, proposition, FSE+)."""
    return peut_effectuer(user, parcours, ROLES_EMPLOI)


def peut_inscrire_en_commission(user, parcours) -> bool:
    """Inscrire un dossier à l'ordre du jour : l'animation et la direction du PLIE ; et, pour une
    sortie qu'il vient de proposer, le référent du parcours (le dossier va à la prochaine
    commission de sortie sans attendre l'animation : docs/emploi.md)."""
    if peut_gerer_les_sessions(user, parcours.plie_id):
        return True
    return parcours.statut == "sortie_proposee" and peut_effectuer(user, parcours, ROLES_REFERENT)


def _ids_par_droit(user, codename: str, plies):
    """Les parcours de ces PLIE sur lesquels `user` (ou un de ses groupes) a ce droit explicite
    (intérim, partage)."""
    return [
        lignes.filter(content_object__plie_id__in=plies).values(f"{lien}_id")
        for lignes, lien in _droits_explicites(user, codename)
    ]


def parcours_au_suivi_visible(user, roles=ROLES_SUIVI_DOSSIER, *, seances_closes=True):
    """Les parcours dont `user` voit le suivi : la liste de `voit_le_suivi` (ou, avec
    `roles=ROLES_EMPLOI, seances_closes=False`, de `peut_voir_emploi`), pour les listes du
    périmètre (étapes, entretiens, contrats de tous ses parcours) ; les mêmes branches que
    `peut_effectuer`, chacune écrite en sous-requête indexée."""
    if not actif(user):
        return Parcours.objects.none()
    visibles = parcours_visibles(user)
    if user.is_superuser:
        return visibles
    p, roles = perimetre(user), set(roles)
    ids = []
    if plies := p.plies(roles & (ROLES_PILOTAGE | {Role.CRE})):
        # Le pilotage voit tout son PLIE ; le CRE, ce qu'il voit de son PLIE.
        ids.append(Parcours.objects.order_by().filter(plie_id__in=plies).values("pk"))
    if plies := p.plies(roles & ROLES_REFERENT):
        ids.append(
            Parcours.objects.order_by().filter(referent_id=user.pk, plie_id__in=plies).values("pk")
        )
        ids += _ids_par_droit(user, "change_parcours", plies)
    if Role.COMMISSION in roles and p.plies({Role.COMMISSION}):
        ids.append(mes_inscriptions_en_session(user).values("parcours_id"))
        if seances_closes:
            ids.append(mes_inscriptions_en_session_close(user).values("parcours_id"))
    if not ids:
        return Parcours.objects.none()
    return visibles.filter(pk__in=_union(ids))


def parcours_a_l_emploi_visible(user):
    """La liste de `peut_voir_emploi` (contrats de tous ses parcours)."""
    return parcours_au_suivi_visible(user, ROLES_EMPLOI, seances_closes=False)
