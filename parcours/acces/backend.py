"""Le backend d'autorisation du projet : `user.has_perm("app.codename", obj)` répond depuis les
prédicats de la politique d'accès. Les modèles et les services du domaine demandent leurs droits
ainsi ; ils n'importent jamais ce paquet (docs/architecture.md).

Chaque droit ci-dessous est une permission **objet** : sans objet, la réponse est non (un droit
global ne vaut jamais pour un PLIE). Pour les droits que seul ce backend connaît, un refus est
définitif (`PermissionDenied` : les autres backends ne sont pas consultés) ; pour ceux que
django-guardian peut aussi accorder (`core.animer_plie`, `core.suivre_emploi_plie` par
permission objet sur le PLIE), un refus laisse guardian répondre.
"""

from django.core.exceptions import PermissionDenied

from parcours import acces
from parcours.core.enums import Role
from parcours.core.perimetre import perimetre
from parcours.core.roles import (
    ROLES_ANIMATION,
    ROLES_CONTRAT,
    ROLES_DECISION,
    ROLES_REFERENT,
    ROLES_SUIVI,
)

# Qui effectue chaque transition du parcours (parcours.accompagnement.models).
ROLES_DES_TRANSITIONS = {
    "demander_complements": ROLES_ANIMATION,
    "completer": frozenset({Role.PRESCRIPTEUR, Role.ANIMATEUR}),
    "declarer_recevable": ROLES_ANIMATION,
    "declarer_irrecevable": ROLES_ANIMATION,
    "annuler": frozenset({Role.PRESCRIPTEUR, *ROLES_ANIMATION}),
    "inscrire_en_commission": ROLES_ANIMATION,
    "admettre": ROLES_DECISION,
    "ajourner": ROLES_DECISION,
    "refuser": ROLES_DECISION,
    "engager": ROLES_SUIVI,
    "suspendre": ROLES_SUIVI,
    "reprendre": ROLES_SUIVI,
    "entrer_en_emploi": ROLES_CONTRAT,
    "rompre_emploi": ROLES_CONTRAT,
    "proposer_sortie": ROLES_SUIVI,
    "refuser_sortie": ROLES_DECISION,
    "valider_sortie": ROLES_DECISION,
}


def _sur_le_parcours(roles):
    return lambda user, parcours: acces.peut_effectuer(user, parcours, roles)


def _faciliter_la_candidature(user, positionnement):
    return acces.peut_faciliter(user, positionnement.besoin.marche.plie_id)


def _proposer_sur_offre(user, offre):
    if not (
        user.is_superuser or perimetre(user).a_role(offre.plie_id, {Role.CRE, *ROLES_REFERENT})
    ):
        return False
    return acces.peut_voir_offre(user, offre)


def _emarger(user, evenement):
    return acces.peut_gerer_offres(user, evenement.plie_id) or perimetre(user).a_role(
        evenement.plie_id, ROLES_REFERENT
    )


# codename → (modèle de l'objet, prédicat(user, obj)). Seul ce backend les accorde.
DROITS = {
    "accompagnement.view_parcours": ("accompagnement.parcours", acces.peut_voir),
    "participants.view_participant": ("participants.participant", acces.peut_voir),
    "accompagnement.suivre_parcours": ("accompagnement.parcours", _sur_le_parcours(ROLES_SUIVI)),
    "accompagnement.suivre_emploi": ("accompagnement.parcours", _sur_le_parcours(ROLES_CONTRAT)),
    "accompagnement.inscrire_a_l_ordre_du_jour": (
        "accompagnement.parcours",
        acces.peut_inscrire_en_commission,
    ),
    "accompagnement.proposer_sur_clause": (
        "accompagnement.parcours",
        acces.peut_proposer_sur_clause,
    ),
    **{
        f"accompagnement.{transition}": ("accompagnement.parcours", _sur_le_parcours(roles))
        for transition, roles in ROLES_DES_TRANSITIONS.items()
    },
    "core.gerer_sessions": ("core.plie", lambda u, p: acces.peut_gerer_les_sessions(u, p.pk)),
    "core.sieger": ("core.plie", lambda u, p: acces.peut_sieger(u, p.pk)),
    "core.gerer_portefeuilles": (
        "core.plie",
        lambda u, p: acces.peut_gerer_portefeuilles(u, p.pk),
    ),
    "core.gerer_entreprises": ("core.plie", lambda u, p: acces.peut_gerer_entreprises(u, p.pk)),
    "core.gerer_offres": ("core.plie", lambda u, p: acces.peut_gerer_offres(u, p.pk)),
    "core.faciliter": ("core.plie", lambda u, p: acces.peut_faciliter(u, p.pk)),
    "core.proposer_candidature": ("core.plie", lambda u, p: acces.peut_proposer(u, p.pk)),
    "core.administrer": ("core.plie", lambda u, p: acces.peut_administrer(u, p.pk)),
    "commissions.decider_en_session": (
        "commissions.sessioncommission",
        acces.peut_decider_en_session,
    ),
    "commissions.gerer_session": (
        "commissions.sessioncommission",
        lambda u, s: acces.peut_gerer_les_sessions(u, s.plie_id),
    ),
    "commissions.cloturer_session": (
        "commissions.sessioncommission",
        acces.peut_cloturer_la_session,
    ),
    "commissions.sieger_a_la_session": (
        "commissions.sessioncommission",
        acces.siege_a_la_session,
    ),
    "clauses.faciliter_positionnement": ("clauses.positionnement", _faciliter_la_candidature),
    "clauses.view_candidatexterne": (
        "clauses.candidatexterne",
        lambda u, c: acces.candidats_externes_visibles(u).filter(pk=c.pk).exists(),
    ),
    "entreprises.gerer_offre": (
        "entreprises.offreemploi",
        lambda u, o: acces.peut_gerer_offres(u, o.plie_id),
    ),
    "entreprises.pourvoir_offre": ("entreprises.offreemploi", acces.peut_pourvoir_offre),
    "entreprises.proposer_candidat": ("entreprises.offreemploi", _proposer_sur_offre),
    "entreprises.suivre_mise_en_relation": (
        "entreprises.miseenrelation",
        acces.peut_suivre_mise_en_relation,
    ),
    "entreprises.emarger": ("entreprises.evenement", _emarger),
}

# Droits du PLIE déduits des adhésions, que django-guardian peut aussi accorder.
DROITS_COMPLETES_PAR_GUARDIAN = {
    "core.animer_plie": ("core.plie", lambda u, p: perimetre(u).a_role(p.pk, ROLES_ANIMATION)),
    "core.suivre_emploi_plie": ("core.plie", lambda u, p: perimetre(u).a_role(p.pk, {Role.CRE})),
}


def _objet_attendu(obj, modele: str) -> bool:
    return obj is not None and obj._meta.label_lower == modele


class PolitiqueAccesBackend:
    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not getattr(user_obj, "is_active", False):
            return False
        if perm in DROITS:
            modele, predicat = DROITS[perm]
            if _objet_attendu(obj, modele) and predicat(user_obj, obj):
                return True
            raise PermissionDenied
        if perm in DROITS_COMPLETES_PAR_GUARDIAN:
            modele, predicat = DROITS_COMPLETES_PAR_GUARDIAN[perm]
            return _objet_attendu(obj, modele) and predicat(user_obj, obj)
        return False
