"""Commissions : qui gère les séances, qui y siège, ce que voient ceux qui y siègent."""

from django.db.models import Q

from parcours.acces.garde import droit, liste
from parcours.commissions.enums import StatutSession
from parcours.commissions.models import InscriptionSession, SessionCommission
from parcours.core.enums import Role
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import ROLES_GESTION_SESSIONS, ROLES_SIEGE


@droit
def peut_gerer_les_sessions(user, plie_id: int) -> bool:
    """Planifier, composer les séances, en envoyer l'ordre du jour : l'animation, la direction."""
    return perimetre(user).a_role(plie_id, ROLES_GESTION_SESSIONS)


def peut_sieger(user, plie_id: int) -> bool:
    """Tient une adhésion active qui permet de siéger en commission dans ce PLIE (un
    superutilisateur n'y siège pas pour autant)."""
    return actif(user) and perimetre(user).a_role(plie_id, ROLES_SIEGE)


def siege_a_la_session(user, session) -> bool:
    """Président ou membre de cette séance, et toujours en fonction dans son PLIE."""
    if not peut_sieger(user, session.plie_id):
        return False
    return session.president_id == user.pk or session.membres.filter(pk=user.pk).exists()


def _comme_membre(user):
    return SessionCommission.membres.through.objects.filter(user_id=user.pk).values(
        "sessioncommission_id"
    )


def _comme_present(user):
    return SessionCommission.presents.through.objects.filter(user_id=user.pk).values(
        "sessioncommission_id"
    )


@liste("commissions.SessionCommission")
def sessions_visibles(user, queryset):
    """Les séances des PLIE dont il gère les séances ; celles, non clôturées, où il siège ; et
    celles, clôturées, où il était présent — tant qu'il peut siéger dans leur PLIE. Le même
    prédicat que l'accès aux dossiers (`filtre_dossiers_de_mes_sessions`) : un membre absent ne
    relit ni la séance close ni ses dossiers."""
    p = perimetre(user)
    cloturee = Q(statut=StatutSession.CLOTUREE)
    siege = (
        (~cloturee & (Q(president_id=user.pk) | Q(pk__in=_comme_membre(user))))
        | (cloturee & Q(pk__in=_comme_present(user)))
    ) & Q(plie_id__in=p.plies(ROLES_SIEGE))
    return queryset.filter(Q(plie_id__in=p.plies(ROLES_GESTION_SESSIONS)) | siege)


def peut_decider_en_session(user, session) -> bool:
    """Enregistrer une décision : un membre ou le président de la séance, ou l'animation."""
    return peut_gerer_les_sessions(user, session.plie_id) or siege_a_la_session(user, session)


def peut_cloturer_la_session(user, session) -> bool:
    """Clôturer : l'animation, la direction, ou le président de la séance qui y siège."""
    return peut_gerer_les_sessions(user, session.plie_id) or (
        session.president_id == user.pk and siege_a_la_session(user, session)
    )


def _sessions_ouvertes_ou_siege(user, plies):
    return (
        SessionCommission.objects.ouvertes()
        .filter(plie_id__in=plies)
        .filter(Q(president_id=user.pk) | Q(pk__in=_comme_membre(user)))
        .values("pk")
    )


def mes_inscriptions_en_session(user):
    """Les inscriptions à l'ordre du jour d'une séance non clôturée où `user` siège (membre ou
    président), dans les PLIE où il est membre de commission : partant de ses séances, par
    l'index des inscriptions par séance."""
    plies = perimetre(user).plies({Role.COMMISSION})
    return InscriptionSession.objects.filter(
        session_id__in=_sessions_ouvertes_ou_siege(user, plies)
    ).order_by()


def _sessions_closes_ou_present(user, plies):
    return (
        SessionCommission.presents.through.objects.filter(
            user_id=user.pk,
            sessioncommission__statut=StatutSession.CLOTUREE,
            sessioncommission__plie_id__in=plies,
        )
        .order_by()
        .values("sessioncommission_id")
    )


def mes_inscriptions_en_session_close(user):
    """Les inscriptions à l'ordre du jour des séances clôturées où `user` était présent (il y a
    siégé), dans les PLIE où il est membre de commission, tant que l'identité de la personne est
    conservée (`anonymise_le` vide : `parcours/rgpd`, la durée de conservation du référentiel) :
    le membre relit les dossiers qu'il a décidés, sans pouvoir y agir."""
    plies = perimetre(user).plies({Role.COMMISSION})
    return InscriptionSession.objects.filter(
        session_id__in=_sessions_closes_ou_present(user, plies),
        parcours__participant__anonymise_le__isnull=True,
    ).order_by()


def filtre_dossiers_de_mes_sessions(user) -> Q:
    """Les parcours de `mes_inscriptions_en_session` et de `mes_inscriptions_en_session_close` :
    ceux des séances ouvertes où il siège, et ceux des séances closes où il a siégé."""
    if not perimetre(user).plies({Role.COMMISSION}):
        return Q(pk__in=[])
    return Q(pk__in=mes_inscriptions_en_session(user).values("parcours_id")) | Q(
        pk__in=mes_inscriptions_en_session_close(user).values("parcours_id")
    )


def siege_pour_le_dossier(user, parcours) -> bool:
    """Il siège à une séance ouverte qui examine ce dossier : il peut le décider."""
    if not perimetre(user).a_role(parcours.plie_id, {Role.COMMISSION}):
        return False
    return InscriptionSession.objects.filter(
        parcours_id=parcours.pk,
        session_id__in=_sessions_ouvertes_ou_siege(user, {parcours.plie_id}),
    ).exists()


def a_siege_pour_le_dossier(user, parcours) -> bool:
    """Le même prédicat que `filtre_dossiers_de_mes_sessions`, pour un seul dossier : il le lit
    (séance ouverte où il siège, ou séance close où il a siégé)."""
    if not perimetre(user).a_role(parcours.plie_id, {Role.COMMISSION}):
        return False
    return (
        siege_pour_le_dossier(user, parcours)
        or mes_inscriptions_en_session_close(user).filter(parcours_id=parcours.pk).exists()
    )
