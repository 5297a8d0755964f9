"""Clôturer la session : les présents, le procès-verbal (PDF), la décision annoncée à chaque
prescripteur (au référent pour une sortie)."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists

from parcours.commissions.enums import (
    DECISIONS_SORTIE,
    StatutSession,
    TypeDecision,
)
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
    DonneesCommissionInvalides,
    SessionClose,
)
from parcours.commissions.models import SessionCommission
from parcours.commissions.pdf import generer_proces_verbal
from parcours.commissions.services.decisions import report_de
from parcours.commissions.services.ordre_du_jour import lignes_de_session
from parcours.commissions.services.sessions import (
    decision_de_l_inscription,
    format_date,
    nom_commission,
    verrouiller,
)
from parcours.core.models import PLIE
from parcours.courriels.services import envoyer_courriel


def cloturer_session(session, *, par, presents=None) -> SessionCommission:
    """Clôture la session : relève les présents (par défaut, tous les membres), établit le
    procès-verbal (PDF rangé dans `session.proces_verbal`) et informe chaque prescripteur de la
    décision sur son dossier (le référent, pour une sortie). Tous les dossiers de l'ordre du
    jour doivent avoir été décidés ou retirés."""
    with transaction.atomic():
        session = verrouiller(session)
        if not (
            par.has_perm("core.gerer_sessions", PLIE(pk=session.plie_id))
            or (
                session.president_id == par.pk
                and par.has_perm("commissions.sieger_a_la_session", session)
            )
        ):
            raise ActionCommissionNonAutorisee(
                "Seuls le président de la session, l'équipe d'animation et la direction du PLIE "
                "clôturent une session."
            )
        if session.statut == StatutSession.CLOTUREE:
            raise SessionClose(
                f"La {session.libelle} a déjà été clôturée le {format_date(session.cloturee_le)}."
            )
        sans_decision = list(dossiers_sans_decision(session))
        if sans_decision:
            noms = ", ".join(str(i.parcours.participant) for i in sans_decision)
            raise DonneesCommissionInvalides(
                f"{len(sans_decision)} dossier(s) de l'ordre du jour n'ont pas de décision "
                f"({noms}) : décidez-les ou retirez-les de l'ordre du jour avant de clôturer."
            )
        if not session.decisions.exists():
            raise DonneesCommissionInvalides(
                "Aucune décision n'a été enregistrée : il n'y a pas de procès-verbal à établir."
            )
        membres = list(session.membres.all())
        if presents is None:
            presents = membres
        intrus = [p for p in presents if p not in membres]
        if intrus:
            raise DonneesCommissionInvalides(
                f"{', '.join(map(str, intrus))} ne fait pas partie des membres de la session."
            )
        if not presents:
            raise DonneesCommissionInvalides(
                "Cochez au moins un membre présent : le procès-verbal nomme ceux qui ont siégé."
            )
        session.presents.set(presents)
        if session.statut == StatutSession.EN_COURS:
            session.terminer(par=par)  # tout est décidé (vérifié ci-dessus)
        session.cloturer(par=par)
        lignes = lignes_de_session(session)
        nom = nom_commission(session)
        reports = {
            ligne.parcours_id: report_de(ligne.decision)
            for ligne in lignes
            if ligne.decision.type == TypeDecision.AJOURNE
        }
        pdf = generer_proces_verbal(session, nom, lignes, reports)
        session.proces_verbal.save(
            f"proces-verbal-{session.date_locale:%Y-%m-%d}-{session.pk}.pdf",
            ContentFile(pdf),
            save=False,
        )
        session.save()
        for ligne in lignes:
            _notifier_decision(session, nom, ligne.decision, ligne.parcours, reports, par)
    return session


def dossiers_sans_decision(session):
    """Les inscriptions de l'ordre du jour encore sans décision (à décider ou à retirer avant la
    clôture), dans l'ordre de passage."""
    return (
        session.inscriptions.exclude(Exists(decision_de_l_inscription()))
        .select_related("parcours__participant")
        .order_by("ordre", "id")
    )


def _notifier_decision(session, nom, decision, parcours, reports, par):
    participant = parcours.participant
    en_tete = f"La {nom} du {session.plie}, réunie le {format_date(session.date)}"
    type_decision = decision.type
    # Une entrée : le prescripteur ; une sortie : le référent qui l'a proposée.
    destinataire = parcours.referent if type_decision in DECISIONS_SORTIE else parcours.prescripteur
    if destinataire is None:
        return None
    if type_decision == TypeDecision.ADMIS:
        sujet = f"Décision de la commission : admission de {participant}"
        contact = f" — {decision.referent.email}" if decision.referent.email else ""
        corps = (
            f"{en_tete}, a décidé l'admission de {participant} dans le PLIE.\n\n"
            f"Référent de parcours désigné : {decision.referent} ({decision.structure})"
            f"{contact}.\n"
            "Le référent prendra contact avec la personne pour le premier entretien.\n"
        )
    elif type_decision == TypeDecision.AJOURNE:
        report = reports.get(parcours.pk)
        suite = "Le dossier sera présenté de nouveau à " + (
            f"la session du {format_date(report.session.date)}."
            if report
            else "une prochaine session."
        )
        sujet = f"Décision de la commission : dossier de {participant} ajourné"
        corps = f"{en_tete}, a ajourné le dossier de {participant}.\n\nMotif : {decision.motif}\n\n"
        corps += suite + "\n"
    elif type_decision == TypeDecision.REFUSE:
        sujet = f"Décision de la commission : entrée de {participant} refusée"
        corps = (
            f"{en_tete}, n'a pas retenu l'entrée de {participant} dans le PLIE.\n\n"
            f"Motif : {decision.motif}\n"
        )
    elif type_decision == TypeDecision.SORTIE_VALIDEE:
        sujet = f"Décision de la commission : sortie de {participant} validée"
        corps = (
            f"{en_tete}, a validé la sortie de {participant} du PLIE "
            f"({parcours.get_type_sortie_display() or 'type non précisé'}).\n"
        )
        if decision.motif:
            corps += f"\nObservation : {decision.motif}\n"
    else:
        sujet = f"Décision de la commission : sortie de {participant} refusée"
        corps = (
            f"{en_tete}, n'a pas validé la sortie de {participant}.\n\n"
            f"Motif : {decision.motif}\n\nL'accompagnement se poursuit.\n"
        )
    return envoyer_courriel(
        destinataires=[destinataire],
        sujet=sujet,
        corps="Bonjour,\n\n" + corps,
        parcours=parcours,
        par=par,
    )
