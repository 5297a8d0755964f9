"""Les extractions (docs/extractions.md) : qui ouvre chacune. Les lignes viennent des prédicats de
liste des écrans (parcours, offres, mises en relation, entreprises, candidatures) ; ce module ne
fait qu'ajouter la règle des données de suivi (étapes, entretiens, contrats, sorties)."""

from parcours.acces.clauses import voit_les_besoins
from parcours.acces.dossiers import parcours_visibles
from parcours.acces.garde import droit, liste
from parcours.core.enums import Role
from parcours.core.perimetre import perimetre
from parcours.core.roles import (
    ROLES_ENTREPRISES,
    ROLES_MENU_PARTICIPANTS,
    ROLES_OFFRES,
    ROLES_REFERENT,
    ROLES_SUIVI_DOSSIER,
)

# Les mises en relation : le CRE et l'administrateur du PLIE de l'offre, les référents
# (les mêmes que l'écran d'une mise en relation).
ROLES_EXTRACTION_MISES = frozenset({Role.CRE, Role.ADMIN, *ROLES_REFERENT})


@droit
def peut_extraire_les_parcours(user) -> bool:
    return bool(perimetre(user).plies(ROLES_MENU_PARTICIPANTS))


@droit
def peut_extraire_le_suivi(user) -> bool:
    """Étapes, entretiens, contrats, sorties : ceux qui lisent le dossier complet (pas le
    prescripteur, DOMAIN §1)."""
    return bool(perimetre(user).plies(ROLES_SUIVI_DOSSIER))


@liste("accompagnement.Parcours")
def parcours_suivis_visibles(user, queryset):
    """Les parcours visibles dans les PLIE où l'on tient un rôle du suivi complet : un
    prescripteur n'extrait pas les étapes des personnes qu'il a prescrites."""
    plies = perimetre(user).plies(ROLES_SUIVI_DOSSIER)
    return parcours_visibles(user, queryset).filter(plie_id__in=plies)


@droit
def peut_extraire_les_offres(user) -> bool:
    return bool(perimetre(user).plies(ROLES_OFFRES | ROLES_REFERENT))


@droit
def peut_extraire_les_mises_en_relation(user) -> bool:
    return bool(perimetre(user).plies(ROLES_EXTRACTION_MISES))


@droit
def peut_extraire_les_entreprises(user) -> bool:
    return bool(perimetre(user).plies(ROLES_ENTREPRISES))


def peut_extraire_les_positionnements(user) -> bool:
    return voit_les_besoins(user)


def voit_le_menu_extractions(user) -> bool:
    return any(
        droit(user)
        for droit in (
            peut_extraire_les_parcours,
            peut_extraire_le_suivi,
            peut_extraire_les_offres,
            peut_extraire_les_mises_en_relation,
            peut_extraire_les_entreprises,
            peut_extraire_les_positionnements,
        )
    )
