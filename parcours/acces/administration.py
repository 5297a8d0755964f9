"""Administration du PLIE, journal des accès et droits des personnes (RGPD, docs/rgpd.md)."""

from django.db.models import Q

from parcours.acces.dossiers import peut_effectuer
from parcours.acces.garde import droit, liste
from parcours.core.models import PLIE, Membership
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import (
    ROLES_ADMINISTRATION,
    ROLES_JOURNAL,
    ROLES_PILOTAGE,
    ROLES_REFERENT,
)

# Traces de compte (connexion, refus…) : sans PLIE, on les rattache aux adhésions de leur auteur.
TYPES_TRACE_COMPTE = ("connexion", "echec_connexion", "verrouillage", "deconnexion", "refus")


def plies_administres(user) -> set[int]:
    if not actif(user):
        return set()
    if user.is_superuser:
        return set(PLIE.objects.values_list("pk", flat=True))
    return perimetre(user).plies(ROLES_ADMINISTRATION)


@droit
def peut_administrer(user, plie_id: int) -> bool:
    """Structures, comptes, adhésions, référentiel d'un PLIE : son administrateur (docs/
    architecture.md : l'admin Django est réservé à l'instance)."""
    return perimetre(user).a_role(plie_id, ROLES_ADMINISTRATION)


def voit_le_depot_de_reprise(user, plie_id: int, depositaire_id: int) -> bool:
    """Un dépôt de reprise (aperçu, confirmation, rapport) : l'administrateur du PLIE qui l'a
    fait, lui seul — un autre administrateur du même PLIE ne confirme pas l'aperçu d'un autre."""
    return user.pk == depositaire_id and peut_administrer(user, plie_id)


@liste("tracabilite.Trace")
def traces_visibles(user, queryset):
    """Toutes les traces des PLIE où l'on tient un rôle de `ROLES_JOURNAL`, plus les traces de
    compte (sans PLIE) des utilisateurs qui y ont une adhésion active, ou dont l'identifiant
    saisi est le leur (échec de connexion d'un compte inconnu du serveur : aucun PLIE). Le
    journal nomme les collègues : pas l'équipe d'animation."""
    plies = perimetre(user).plies(ROLES_JOURNAL)
    if not plies:
        return queryset.none()
    membres = Membership.objects.actives().filter(structure__plie_id__in=plies)
    de_compte = Q(plie__isnull=True, type__in=TYPES_TRACE_COMPTE) & (
        Q(user_id__in=membres.values("user_id"))
        | Q(user__isnull=True, identifiant__in=membres.values("user__username"))
    )
    return queryset.filter(Q(plie_id__in=plies) | de_compte)


def voit_les_consultations(user, parcours) -> bool:
    """« Qui a consulté ce dossier » : le référent du parcours (ou son intérimaire) et le
    pilotage du PLIE."""
    return peut_effectuer(user, parcours, ROLES_PILOTAGE | ROLES_REFERENT)


@droit
def peut_exporter_droit_acces(user, plie_id: int) -> bool:
    """Répondre à une demande de droit d'accès : exporter tout ce que le PLIE détient sur une
    personne (les mêmes que le journal : l'export en contient les consultations)."""
    return perimetre(user).a_role(plie_id, ROLES_JOURNAL)
