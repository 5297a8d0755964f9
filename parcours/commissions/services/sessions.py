"""Ce que les services des commissions partagent : la session verrouillée, le droit de la
gérer, le nom que le PLIE donne à sa commission, la date lisible, la décision déjà prise sur un
dossier (et les messages qui le disent)."""

from django.db.models import OuterRef
from django.utils import timezone

from parcours.commissions.enums import (
    TypeCommission,
)
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
)
from parcours.commissions.models import Decision, SessionCommission
from parcours.core.models import PLIE
from parcours.referentiel.sections import commissions as section_commissions


def format_date(instant) -> str:
    return f"{timezone.localtime(instant):%d/%m/%Y à %H:%M}"


def exiger_gestion(par, plie_id: int, action: str) -> None:
    if not par.has_perm("core.gerer_sessions", PLIE(pk=plie_id)):
        raise ActionCommissionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : c'est le rôle de l'équipe d'animation et de "
            "la direction du PLIE."
        )


def verrouiller(session: SessionCommission) -> SessionCommission:
    return (
        SessionCommission.objects.select_for_update(of=("self",))
        .select_related("plie", "territoire")
        .get(pk=session.pk)
    )


def nom_commission(session: SessionCommission) -> str:
    """Le nom que le PLIE donne à cette commission (référentiel en vigueur à la date de session)."""
    commissions = section_commissions.de(session.plie, session.date_locale.date())
    if commissions is None:
        return session.get_type_display()
    entree, sortie = commissions.entree.nom, commissions.sortie.nom
    if session.type == TypeCommission.ENTREE:
        return entree
    if session.type == TypeCommission.SORTIE:
        return sortie
    return entree if entree == sortie else f"{entree} / {sortie}"


def decisions_anticipees(session: SessionCommission) -> bool:
    """Le référentiel en vigueur à la date de la séance permet-il de décider avant son jour ?
    (`decision_anticipee` de la commission d'entrée ou de sortie ; une séance mixte suit
    l'entrée)."""
    commissions = section_commissions.de(session.plie_id, session.date_locale.date())
    if commissions is None:
        return False
    type_commission = "sortie" if session.type == TypeCommission.SORTIE else "entree"
    return commissions.pour(type_commission).decision_anticipee


def jour_de_decision_atteint(session: SessionCommission) -> bool:
    """On décide le jour de la séance (dès le matin) et après."""
    return timezone.localdate() >= session.date_locale.date()


def message_trop_tot(session: SessionCommission) -> str:
    return (
        f"La séance du {session.date_locale:%d/%m/%Y} n'a pas encore eu lieu : ses décisions "
        f"s'enregistrent à partir du {session.date_locale:%d/%m/%Y}. Rien n'a été enregistré."
    )


def decision_de_l_inscription():
    return Decision.objects.filter(
        session_id=OuterRef("session_id"), parcours_id=OuterRef("parcours_id")
    )


def decision_existante(session, parcours) -> Decision | None:
    return (
        Decision.objects.filter(session_id=session.pk, parcours_id=parcours.pk)
        .select_related("par")
        .first()
    )


def message_deja_decide(decision: Decision) -> str:
    return (
        f"Ce dossier a déjà été décidé par {decision.par} le {format_date(decision.le)} : "
        f"« {decision.get_type_display()} »."
    )


def message_hors_ordre_du_jour(session, parcours) -> str:
    participant = getattr(parcours, "participant", None) or "ce participant"
    return (
        f"Le dossier de {participant} n'est pas (ou plus) à l'ordre du jour de la "
        f"{session.libelle} : rien n'a été enregistré."
    )
