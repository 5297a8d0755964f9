"""Décider en séance : la décision sur un dossier de l'ordre du jour et la transition du parcours
qui lui correspond, dans une seule transaction ; un ajournement est reporté à la session suivante.

Les décisions d'une même session sont sérialisées par un verrou sur la ligne de la session : de
deux membres qui décident le même dossier en même temps, le second attend le premier puis apprend
que le dossier est déjà décidé."""

from django.db import IntegrityError, transaction
from django.db.models import Exists

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import (
    DECISIONS_ENTREE,
    DECISIONS_MOTIVEES,
    DECISIONS_SORTIE,
    STATUTS_A_DECIDER_ENTREE,
    STATUTS_A_DECIDER_SORTIE,
    STATUTS_SESSION_INSCRIPTIBLE,
    TRANSITION_DE_DECISION,
    ObjetDossier,
    StatutSession,
    TypeDecision,
)
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
    DejaDecide,
    DonneesCommissionInvalides,
    HorsOrdreDuJour,
    SessionClose,
)
from parcours.commissions.models import Decision, InscriptionSession
from parcours.commissions.services.ordre_du_jour import ajouter, prochaine_session
from parcours.commissions.services.sessions import (
    decision_de_l_inscription,
    decision_existante,
    decisions_anticipees,
    format_date,
    jour_de_decision_atteint,
    message_deja_decide,
    message_hors_ordre_du_jour,
    message_trop_tot,
    verrouiller,
)
from parcours.core.models import PLIE, Membership
from parcours.core.roles import ROLES_REFERENT


def _type_decision(valeur) -> TypeDecision:
    try:
        return TypeDecision(valeur)
    except ValueError:
        raise DonneesCommissionInvalides(f"Décision inconnue : « {valeur} ».") from None


def _structure_pour(referent, structure, plie_id):
    if structure is None:
        return None  # la transition la déduit des adhésions (la politique d'accès)
    valide = (
        Membership.objects.actives()
        .filter(
            user=referent,
            role__in=ROLES_REFERENT,
            structure=structure,
            structure__plie_id=plie_id,
        )
        .exists()
    )
    if not valide:
        raise DonneesCommissionInvalides(
            f"{referent} n'est pas référent de parcours en activité dans la structure {structure}."
        )
    return structure


def decider(session, parcours, type, *, par, motif="", referent=None, structure=None) -> Decision:
    """Enregistre la décision de la session sur un dossier de son ordre du jour et fait la
    transition du parcours qui lui correspond, dans une seule transaction :
    admis → `admettre` (référent, et sa structure si elle est donnée) ; ajourné → `ajourner`,
    et le dossier est reporté à la prochaine session planifiée de son territoire s'il y en a une ;
    refusé → `refuser` ; sortie validée → `valider_sortie` ; sortie refusée → `refuser_sortie`.
    """
    type_decision = _type_decision(type)
    motif = (motif or "").strip()
    if not par.has_perm("commissions.decider_en_session", session):
        raise ActionCommissionNonAutorisee(
            f"Vous ne siégez pas à la {session.libelle} : vous ne pouvez pas y enregistrer de "
            "décision."
        )
    if type_decision in DECISIONS_MOTIVEES and not motif:
        raise DonneesCommissionInvalides(
            f"Un motif est obligatoire pour la décision « {type_decision.label} »."
        )
    if type_decision == TypeDecision.ADMIS and referent is None:
        raise DonneesCommissionInvalides(
            "Choisissez le référent de parcours désigné pour cette admission."
        )
    if type_decision != TypeDecision.ADMIS and (referent is not None or structure is not None):
        raise DonneesCommissionInvalides("Seule une admission désigne un référent.")

    with transaction.atomic():
        session = verrouiller(session)
        if session.statut == StatutSession.CLOTUREE:
            raise SessionClose(
                f"La {session.libelle} est clôturée depuis le {format_date(session.cloturee_le)} "
                ": ses décisions sont arrêtées."
            )
        existante = decision_existante(session, parcours)
        if existante is not None:
            raise DejaDecide(message_deja_decide(existante))
        inscription = session.inscriptions.filter(parcours_id=parcours.pk).first()
        if inscription is None:
            raise HorsOrdreDuJour(message_hors_ordre_du_jour(session, parcours))
        a_ouvrir = session.statut in STATUTS_SESSION_INSCRIPTIBLE
        if a_ouvrir and not jour_de_decision_atteint(session) and not decisions_anticipees(session):
            raise DonneesCommissionInvalides(message_trop_tot(session))
        parcours = (
            Parcours.objects.select_for_update(of=("self",))
            .select_related("participant", "plie", "territoire")
            .get(pk=parcours.pk)
        )
        attendus = (
            DECISIONS_SORTIE if inscription.objet == ObjetDossier.SORTIE else DECISIONS_ENTREE
        )
        if type_decision not in attendus:
            raise DonneesCommissionInvalides(
                f"Le dossier de {parcours.participant} est présenté pour "
                f"{'une sortie' if inscription.objet == ObjetDossier.SORTIE else 'une entrée'} :"
                f" la décision « {type_decision.label} » ne s'y applique pas."
            )
        en_attente = (
            STATUTS_A_DECIDER_SORTIE
            if inscription.objet == ObjetDossier.SORTIE
            else STATUTS_A_DECIDER_ENTREE
        )
        if parcours.statut not in en_attente:
            raise HorsOrdreDuJour(
                f"Le dossier de {parcours.participant} n'est plus en attente de décision (état « "
                f"{parcours.get_statut_display()} ») : rien n'a été enregistré."
            )
        if parcours.statut == Statut.AJOURNE:
            # Report d'une session précédente que l'envoi de l'ordre du jour n'a pas remis en
            # commission : l'équipe d'animation peut le faire ici.
            if not par.has_perm("core.gerer_sessions", PLIE(pk=session.plie_id)):
                raise DonneesCommissionInvalides(
                    f"Le dossier de {parcours.participant}, reporté d'une session précédente, "
                    "n'a pas été remis en commission : l'équipe d'animation le fait en envoyant "
                    "l'ordre du jour."
                )
            parcours.inscrire_en_commission(par=par, motif=f"Reporté à la {session.libelle}")
            parcours.save()

        arguments = {}
        if type_decision == TypeDecision.ADMIS:
            arguments = {
                "referent": referent,
                "structure_referente": _structure_pour(referent, structure, parcours.plie_id),
            }
        getattr(parcours, TRANSITION_DE_DECISION[type_decision])(par=par, motif=motif, **arguments)
        parcours.save()
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    session=session,
                    parcours=parcours,
                    type=type_decision,
                    motif=motif,
                    referent=parcours.referent if type_decision == TypeDecision.ADMIS else None,
                    structure=(
                        parcours.structure_referente
                        if type_decision == TypeDecision.ADMIS
                        else None
                    ),
                    par=par,
                )
        except IntegrityError:  # filet : l'unicité en base, si le verrou était contourné
            raise DejaDecide(message_deja_decide(decision_existante(session, parcours))) from None
        if a_ouvrir:
            session.ouvrir(par=par)
        terminer_si_tout_est_decide(session, par)
        if type_decision == TypeDecision.AJOURNE:
            _reporter(session, inscription, parcours, par)
    return decision


def terminer_si_tout_est_decide(session, par) -> None:
    """Une séance en cours dont tout l'ordre du jour est décidé est tenue (prête à clôturer) ;
    enregistre la séance (et son journal) si son état a changé. `session` est verrouillée."""
    if (
        session.statut == StatutSession.EN_COURS
        and not session.inscriptions.exclude(Exists(decision_de_l_inscription())).exists()
    ):
        session.terminer(par=par)
    if session._journal_en_attente:  # une transition faite, pas encore enregistrée
        session.save()


def _reporter(session, inscription, parcours, par) -> InscriptionSession | None:
    """Le dossier ajourné est inscrit (réservé) à la prochaine session planifiée de son
    territoire ; il y revient en commission à l'envoi de l'ordre du jour."""
    suivante = prochaine_session(parcours, apres=session.date)
    if suivante is None:
        return None
    suivante = verrouiller(suivante)
    if suivante.statut != StatutSession.PLANIFIEE:
        return None
    if suivante.inscriptions.filter(parcours=parcours).exists():
        return None
    return ajouter(suivante, parcours, par, reportee_de=inscription)


def report_de(decision: Decision) -> InscriptionSession | None:
    """L'inscription à une session suivante créée par cet ajournement, s'il y en a une."""
    return (
        InscriptionSession.objects.filter(
            reportee_de__session_id=decision.session_id,
            reportee_de__parcours_id=decision.parcours_id,
        )
        .select_related("session__territoire")
        .first()
    )
