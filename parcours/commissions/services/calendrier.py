"""Planifier les commissions : une session, sa composition (membres et président), le
calendrier des mois à venir à la cadence du référentiel (section `commissions`). Une séance
nouvelle reçoit les dossiers recevables (et les sorties proposées) qui n'avaient trouvé aucune
séance."""

import datetime
import itertools

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from parcours.commissions.enums import (
    StatutSession,
    TypeCommission,
)
from parcours.commissions.errors import (
    DonneesCommissionInvalides,
    SessionClose,
)
from parcours.commissions.models import SessionCommission
from parcours.commissions.services.ordre_du_jour import placer_les_dossiers_en_attente
from parcours.commissions.services.sessions import exiger_gestion, format_date, verrouiller
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import ROLES_SIEGE
from parcours.referentiel.sections import commissions as section_commissions

HEURE_PAR_DEFAUT = datetime.time(14, 0)


def _referentiel(plie, date=None) -> section_commissions.Commissions:
    """Les commissions du référentiel en vigueur (section `commissions`)."""
    commissions = section_commissions.de(plie, date)
    if commissions is None:
        raise DonneesCommissionInvalides(
            f"Aucun référentiel n'est en vigueur pour le {plie} : importez-le avant de planifier "
            "ses commissions."
        )
    return commissions


def _type_commission(valeur) -> TypeCommission:
    try:
        return TypeCommission(valeur)
    except ValueError:
        raise DonneesCommissionInvalides(f"Type de commission inconnu : « {valeur} ».") from None


def _configuration(
    commissions: section_commissions.Commissions, type_commission
) -> section_commissions.Commission:
    """La commission du référentiel : une session mixte suit la configuration des entrées."""
    return commissions.pour("sortie" if type_commission == TypeCommission.SORTIE else "entree")


def _instant(date) -> datetime.datetime:
    if not isinstance(date, datetime.datetime):
        raise DonneesCommissionInvalides(
            "La date d'une session comprend son heure (date et heure attendues)."
        )
    if timezone.is_naive(date):
        date = timezone.make_aware(date)
    return date


def _verifier_territoire(plie, territoire, configuration: section_commissions.Commission) -> None:
    if territoire is not None and territoire.plie_id != plie.pk:
        raise DonneesCommissionInvalides(
            f"Le territoire « {territoire} » n'appartient pas au {plie}."
        )
    if configuration.par_territoire and territoire is None:
        raise DonneesCommissionInvalides(
            f"Le {configuration.nom} du {plie} se tient par territoire : indiquez le "
            "territoire de la session."
        )
    if not configuration.par_territoire and territoire is not None:
        raise DonneesCommissionInvalides(
            f"La {configuration.nom} du {plie} couvre tout son territoire : une session ne se "
            "rattache pas à un territoire."
        )


def _composer(session: SessionCommission, membres, president) -> None:
    membres = list(dict.fromkeys([*membres, *([president] if president else [])]))
    for membre in membres:
        if not (actif(membre) and perimetre(membre).a_role(session.plie_id, ROLES_SIEGE)):
            raise DonneesCommissionInvalides(
                f"{membre} ne peut pas siéger : il faut une adhésion active de membre de "
                f"commission, d'animateur ou de direction dans le {session.plie}."
            )
    session.president = president
    session.save(update_fields=["president", "updated_at"])
    session.membres.set(membres)


def planifier_session(
    *, plie, type, date, par, territoire=None, lieu="", membres=(), president=None
) -> SessionCommission:
    """Une session à venir ; `date` est un datetime (heure de Paris s'il est naïf)."""
    exiger_gestion(par, plie.pk, "planifier une session de commission")
    type_commission = _type_commission(type)
    date = _instant(date)
    if date <= timezone.now():
        raise DonneesCommissionInvalides(
            f"La date de la session ({format_date(date)}) est passée : une session se planifie "
            "à l'avance."
        )
    configuration = _configuration(_referentiel(plie, timezone.localtime(date).date()), type)
    _verifier_territoire(plie, territoire, configuration)
    with transaction.atomic():
        if (
            SessionCommission.objects.filter(
                plie=plie, territoire=territoire, type=type_commission, date=date
            )
            .exclude(statut=StatutSession.ANNULEE)
            .exists()
        ):
            raise DonneesCommissionInvalides(
                f"Une {type_commission.label.lower()} est déjà planifiée le {format_date(date)}."
            )
        session = SessionCommission.objects.create(
            plie=plie,
            territoire=territoire,
            type=type_commission,
            date=date,
            lieu=lieu.strip(),
            planifiee_par=par,
        )
        _composer(session, membres, president)
        placer_les_dossiers_en_attente(session, par=par)
    return session


def composer_session(session, *, par, membres, president=None) -> SessionCommission:
    """Nomme les membres et le président (ajouté aux membres) d'une session non clôturée."""
    exiger_gestion(par, session.plie_id, "composer une session de commission")
    with transaction.atomic():
        session = verrouiller(session)
        if session.statut == StatutSession.CLOTUREE:
            raise SessionClose(f"La {session.libelle} est clôturée : sa composition est figée.")
        _composer(session, membres, president)
    return session


def _jour_ouvre(jour: datetime.date) -> datetime.date:
    """Samedi et dimanche reportés au lundi."""
    if jour.weekday() >= 5:
        jour += datetime.timedelta(days=7 - jour.weekday())
    return jour


def planifier_calendrier(
    plie,
    debut,
    *,
    par,
    mois=6,
    type=TypeCommission.ENTREE,
    heure=HEURE_PAR_DEFAUT,
    lieu="",
    membres=(),
    president=None,
) -> list[SessionCommission]:
    """Le calendrier des `mois` à venir à partir de `debut` (une date), à la cadence du
    référentiel : N = cadence annuelle × mois / 12 sessions réparties régulièrement (un jour de
    semaine, à `heure`), une par territoire si la commission se tient par territoire.

    Idempotent : un créneau qui a déjà une session du même type (et territoire) est laissé tel
    quel. Renvoie les sessions créées.
    """
    exiger_gestion(par, plie.pk, "planifier le calendrier des commissions")
    type_commission = _type_commission(type)
    if not isinstance(mois, int) or not 1 <= mois <= 24:
        raise DonneesCommissionInvalides("Un calendrier couvre de 1 à 24 mois.")
    if isinstance(debut, datetime.datetime) or not isinstance(debut, datetime.date):
        raise DonneesCommissionInvalides("Le début du calendrier est une date (sans heure).")
    if debut < timezone.localdate():
        raise DonneesCommissionInvalides(
            f"Le calendrier ne peut pas commencer dans le passé ({debut:%d/%m/%Y})."
        )
    configuration = _configuration(_referentiel(plie, debut), type_commission)
    nombre = max(1, round(configuration.cadence_par_an * mois / 12))
    jours = (debut + relativedelta(months=mois) - debut).days
    bornes = [debut + datetime.timedelta(days=jours * i // nombre) for i in range(nombre + 1)]
    territoires = list(plie.territoires.order_by("nom")) if configuration.par_territoire else [None]

    def minuit(jour):
        return timezone.make_aware(datetime.datetime.combine(jour, datetime.time()))

    creees = []
    with transaction.atomic():
        for territoire in territoires:
            for debut_creneau, fin_creneau in itertools.pairwise(bornes):
                jour = _jour_ouvre(debut_creneau)
                if jour >= fin_creneau:
                    jour = debut_creneau
                quand = timezone.make_aware(datetime.datetime.combine(jour, heure))
                deja = SessionCommission.objects.filter(
                    plie=plie,
                    territoire=territoire,
                    type=type_commission,
                    date__gte=minuit(debut_creneau),
                    date__lt=minuit(fin_creneau),
                ).exists()
                if deja or quand <= timezone.now():
                    continue
                session = SessionCommission.objects.create(
                    plie=plie,
                    territoire=territoire,
                    type=type_commission,
                    date=quand,
                    lieu=lieu.strip(),
                    planifiee_par=par,
                )
                _composer(session, membres, president)
                creees.append(session)
        # Les dossiers en attente vont à la plus proche des séances créées qui peut les examiner.
        for session in sorted(creees, key=lambda s: s.date):
            placer_les_dossiers_en_attente(session, par=par)
    return creees
