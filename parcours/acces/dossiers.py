"""Qui voit quels parcours et participants, qui peut agir sur eux.

Périmètre dérivé des adhésions actives (`parcours.core.perimetre`) :
- animateur, direction, admin : tout le PLIE ;
- membre de commission : les dossiers inscrits à l'ordre du jour d'une séance non clôturée où il
  siège (membre ou président) — `commissions.filtre_dossiers_de_mes_sessions`, docs/commissions.md ;
- référent (et référent d'étape) : sa file active, dans les PLIE où il est référent ;
- prescripteur : les prescriptions de sa structure ;
- CRE : les parcours de son PLIE en emploi (`STATUTS_SUIVI_EMPLOI`, docs/emploi.md), et les
  parcours ouverts proposés sur une offre de son PLIE (`filtre_dossiers_mis_en_relation`) ;
- facilitateur, financeur, donneur d'ordre : rien par défaut ;
et, pour tous, les droits explicites accordés par django-guardian (intérim, partage de dossier).
Un dossier hors périmètre répond 404 : son existence n'est pas révélée.
"""

from django.db.models import Exists, OuterRef, Q

from parcours.acces.commissions import (
    filtre_dossiers_de_mes_sessions,
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


def _droits_explicites(user, codename: str) -> Q:
    par_utilisateur = ParcoursUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=codename, content_object_id=OuterRef("pk")
    )
    par_groupe = ParcoursGroupObjectPermission.objects.filter(
        group__user=user.pk, permission__codename=codename, content_object_id=OuterRef("pk")
    )
    return Q(Exists(par_utilisateur)) | Q(Exists(par_groupe))


def filtre_dossiers_mis_en_relation(user) -> Q:
    """Pour le CRE : les parcours ouverts proposés sur une offre de son PLIE (« les personnes
    positionnées avec lui »)."""
    plies = perimetre(user).plies({Role.CRE})
    if not plies:
        return Q(pk__in=[])
    positionnes = MiseEnRelation.objects.filter(
        parcours_id=OuterRef("pk"), offre__plie_id__in=plies
    )
    return Q(Exists(positionnes)) & ~Q(statut__in=[s.value for s in STATUTS_CLOS])


def filtre_parcours_visibles(user) -> Q:
    if not actif(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    p = perimetre(user)
    condition = Q(plie_id__in=p.plies(ROLES_PILOTAGE))
    condition |= filtre_dossiers_de_mes_sessions(user)
    condition |= Q(referent_id=user.pk, plie_id__in=p.plies(ROLES_REFERENT))
    condition |= Q(structure_prescriptrice_id__in=p.structures(Role.PRESCRIPTEUR))
    condition |= Q(plie_id__in=p.plies({Role.CRE}), statut__in=STATUTS_SUIVI_EMPLOI)
    condition |= filtre_dossiers_mis_en_relation(user)
    return condition | _droits_explicites(user, "view_parcours")


def parcours_visibles(user, queryset=None):
    queryset = Parcours.objects.all() if queryset is None else queryset
    return queryset.filter(filtre_parcours_visibles(user))


@liste("participants.Participant")
def participants_visibles(user, queryset):
    visibles = parcours_visibles(user).filter(participant_id=OuterRef("pk"))
    return queryset.filter(Exists(visibles))


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
    """Le dossier complet d'un parcours visible ; sinon, l'entrée et son issue seulement."""
    return peut_effectuer(user, parcours, ROLES_SUIVI_DOSSIER)


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
