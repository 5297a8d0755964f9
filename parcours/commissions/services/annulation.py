"""Annuler une séance (ou constater qu'elle ne s'est pas tenue) : ses dossiers non décidés
repartent sur la prochaine séance planifiée qui peut les examiner, sinon « à placer »
(docs/commissions.md « Annuler une séance »)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from parcours.commissions.enums import STATUTS_SESSION_ANNULABLE
from parcours.commissions.errors import DonneesCommissionInvalides, SessionClose
from parcours.commissions.models import InscriptionSession, SessionCommission
from parcours.commissions.services.ordre_du_jour import inscrire_a_la_session, prochaine_session
from parcours.commissions.services.sessions import exiger_gestion, verrouiller


@dataclass
class Annulation:
    session: SessionCommission
    replaces: list[InscriptionSession] = field(default_factory=list)  # sur une autre séance
    a_placer: list = field(default_factory=list)  # parcours sans séance planifiée


def seances_passees_non_tenues(plies):
    """Les séances planifiées (ordre du jour envoyé ou non) dont la date est passée sans
    qu'aucune décision n'y ait été prise : l'animation les annule ou les tient."""
    return SessionCommission.objects.filter(
        plie_id__in=plies, statut__in=STATUTS_SESSION_ANNULABLE, date__lt=timezone.now()
    ).order_by("date", "id")


def destinations(session, parcours) -> dict:
    """Pour chaque dossier de `parcours` : la prochaine séance planifiée (hors `session`) qui peut
    l'examiner, ou None. Une requête par territoire et état (ce dont dépend la séance), pas par
    dossier. L'écran de confirmation et l'annulation lisent la même réponse."""
    par_cle, resultat = {}, {}
    for p in parcours:
        cle = (p.territoire_id, p.statut)
        if cle not in par_cle:
            par_cle[cle] = prochaine_session(p, sauf=session)
        resultat[p.pk] = par_cle[cle]
    return resultat


def annuler_session(session, *, par, motif: str) -> Annulation:
    """Annule la séance (motif obligatoire, journalisé) ; chaque dossier de son ordre du jour
    est inscrit à la prochaine séance planifiée qui peut l'examiner, ou attend l'animation."""
    exiger_gestion(par, session.plie_id, "annuler une séance")
    motif = (motif or "").strip()
    if not motif:
        raise DonneesCommissionInvalides(
            "Indiquez le motif de l'annulation (par exemple « séance non tenue, quorum non "
            "atteint ») : il est inscrit au journal de la séance et lu par les prescripteurs."
        )
    with transaction.atomic():
        session = verrouiller(session)
        if session.statut not in STATUTS_SESSION_ANNULABLE:
            raise SessionClose(
                f"La {session.libelle} est « {session.get_statut_display().lower()} » : des "
                "décisions y ont été prises, elle ne peut plus être annulée."
            )
        inscrits = [
            i.parcours
            for i in session.inscriptions.select_related("parcours__participant").order_by(
                "ordre", "id"
            )
        ]
        session.annuler(par=par, motif=motif)
        session.save()
        resultat = Annulation(session)
        suivantes = destinations(session, inscrits)
        for parcours in inscrits:
            suivante = suivantes[parcours.pk]
            if suivante is None:
                resultat.a_placer.append(parcours)
            else:
                resultat.replaces.append(inscrire_a_la_session(suivante, parcours, par=par))
        return resultat
