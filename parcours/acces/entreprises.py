"""Relations entreprises (CRE) : entreprises, offres, mises en relation, événements
(docs/entreprises.md)."""

from django.db.models import Exists, OuterRef, Q

from parcours.acces.dossiers import parcours_visibles, peut_voir
from parcours.acces.garde import droit, liste
from parcours.core.enums import Role
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import ROLES_ENTREPRISES, ROLES_OFFRES, ROLES_REFERENT
from parcours.entreprises.models import DiffusionOffre


@liste("entreprises.Entreprise")
def entreprises_visibles(user, queryset):
    """Les entreprises des PLIE où l'utilisateur tient un rôle de `ROLES_ENTREPRISES`."""
    return queryset.filter(plie_id__in=perimetre(user).plies(ROLES_ENTREPRISES))


@droit
def peut_gerer_entreprises(user, plie_id: int) -> bool:
    """Créer ou modifier une entreprise du PLIE, y noter un contact : le même prédicat."""
    return perimetre(user).a_role(plie_id, ROLES_ENTREPRISES)


@droit
def peut_gerer_offres(user, plie_id: int) -> bool:
    """Les offres et les événements du PLIE : le CRE, l'animation, la direction."""
    return perimetre(user).a_role(plie_id, ROLES_OFFRES)


@liste("entreprises.OffreEmploi")
def offres_visibles(user, queryset):
    """Toutes les offres des PLIE gérés (ROLES_OFFRES) ; pour un référent, celles de son PLIE
    qui ont été diffusées (au moins une trace de diffusion)."""
    p = perimetre(user)
    diffusee = Exists(DiffusionOffre.objects.filter(offre_id=OuterRef("pk")))
    return queryset.filter(
        Q(plie_id__in=p.plies(ROLES_OFFRES)) | (Q(plie_id__in=p.plies(ROLES_REFERENT)) & diffusee)
    )


def peut_voir_offre(user, offre) -> bool:
    return offres_visibles(user).filter(pk=offre.pk).exists()


@liste("entreprises.MiseEnRelation")
def mises_en_relation_visibles(user, queryset):
    """Le CRE du PLIE de l'offre ; le référent (ou son intérimaire) qui voit le parcours."""
    p = perimetre(user)
    comme_referent = Q(offre__plie_id__in=p.plies(ROLES_REFERENT)) & Q(
        parcours_id__in=parcours_visibles(user).values("pk")
    )
    return queryset.filter(Q(offre__plie_id__in=p.plies({Role.CRE, Role.ADMIN})) | comme_referent)


def peut_suivre_mise_en_relation(user, mise) -> bool:
    """Faire avancer une mise en relation (entretien, réponse, embauche) : le même prédicat."""
    if mise.pk is None:
        return False
    return mises_en_relation_visibles(user).filter(pk=mise.pk).exists()


def peut_pourvoir_offre(user, offre) -> bool:
    """Le CRE ; ou qui vient d'enregistrer une embauche sur l'offre (l'offre est pourvue quand
    tous ses postes le sont : `services.embaucher`)."""
    if peut_gerer_offres(user, offre.plie_id):
        return True
    embauches = offre.mises_en_relation.filter(statut="embauche")
    return mises_en_relation_visibles(user, embauches).exists()


def peut_proposer_candidat(user, offre, parcours) -> bool:
    """Proposer une personne sur une offre ouverte : le CRE du PLIE ou un référent qui voit
    l'offre ; dans les deux cas, la personne doit lui être visible (données personnelles)."""
    if not actif(user) or parcours.plie_id != offre.plie_id:
        return False
    if not (
        user.is_superuser or perimetre(user).a_role(offre.plie_id, {Role.CRE, *ROLES_REFERENT})
    ):
        return False
    return peut_voir_offre(user, offre) and peut_voir(user, parcours)


@liste("entreprises.Evenement")
def evenements_visibles(user, queryset):
    return queryset.filter(plie_id__in=perimetre(user).plies(ROLES_OFFRES | ROLES_REFERENT))


def peut_emarger(user, evenement, parcours) -> bool:
    """Noter la présence d'une personne à un événement : le CRE (ou l'animation) du PLIE, ou un
    référent du PLIE, qui voit son dossier."""
    if not actif(user):
        return False
    gere = peut_gerer_offres(user, evenement.plie_id) or perimetre(user).a_role(
        evenement.plie_id, ROLES_REFERENT
    )
    return gere and peut_voir(user, parcours)
