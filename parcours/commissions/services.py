"""Les commissions, par ce que font les gens : planifier, inscrire, envoyer l'ordre du jour,
décider, clôturer (docs/commissions.md).

Chaque service prend l'acteur (`par`), vérifie ses droits par `par.has_perm(...)` (la politique
d'accès répond), et ne change rien quand il refuse (exceptions de `parcours.commissions.errors`, ou
celles des transitions du parcours, toutes en français). Les décisions d'une même session sont
sérialisées par un verrou sur la ligne de la session : de deux membres qui décident le même dossier
en même temps, le second attend le premier puis apprend que le dossier est déjà décidé."""

import datetime
import itertools
import math
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import (
    DECISIONS_ENTREE,
    DECISIONS_MOTIVEES,
    DECISIONS_SORTIE,
    SESSIONS_ENTREE,
    SESSIONS_SORTIE,
    STATUTS_A_DECIDER_ENTREE,
    STATUTS_A_DECIDER_SORTIE,
    STATUTS_SESSION_INSCRIPTIBLE,
    STATUTS_SESSION_OUVERTE,
    TRANSITION_DE_DECISION,
    ObjetDossier,
    StatutSession,
    TypeCommission,
    TypeDecision,
)
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
    AucuneSessionPlanifiee,
    DejaDecide,
    DonneesCommissionInvalides,
    HorsOrdreDuJour,
    SessionClose,
)
from parcours.commissions.models import Decision, InscriptionSession, SessionCommission
from parcours.commissions.pdf import generer_proces_verbal
from parcours.core.enums import Role
from parcours.core.models import PLIE, Membership
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import ROLES_REFERENT, ROLES_SIEGE
from parcours.courriels.services import envoyer_courriel
from parcours.referentiel.sections import commissions as section_commissions
from parcours.referentiel.sections import portefeuille as section_portefeuille

HEURE_PAR_DEFAUT = datetime.time(14, 0)


# — Petites aides —


def _format_date(instant) -> str:
    return f"{timezone.localtime(instant):%d/%m/%Y à %H:%M}"


def _exiger_gestion(par, plie_id: int, action: str) -> None:
    if not par.has_perm("core.gerer_sessions", PLIE(pk=plie_id)):
        raise ActionCommissionNonAutorisee(
            f"Vous n'avez pas le droit de {action} : c'est le rôle de l'équipe d'animation et de "
            "la direction du PLIE."
        )


def _exiger_inscription(par, parcours, action: str) -> None:
    # L'animation ; le référent pour la sortie qu'il propose (acces.peut_inscrire_en_commission).
    if not par.has_perm("accompagnement.inscrire_a_l_ordre_du_jour", parcours):
        _exiger_gestion(par, parcours.plie_id, action)


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


def _verrouiller(session: SessionCommission) -> SessionCommission:
    return (
        SessionCommission.objects.select_for_update(of=("self",))
        .select_related("plie", "territoire")
        .get(pk=session.pk)
    )


# — Planifier —


def planifier_session(
    *, plie, type, date, par, territoire=None, lieu="", membres=(), president=None
) -> SessionCommission:
    """Une session à venir ; `date` est un datetime (heure de Paris s'il est naïf)."""
    _exiger_gestion(par, plie.pk, "planifier une session de commission")
    type_commission = _type_commission(type)
    date = _instant(date)
    if date <= timezone.now():
        raise DonneesCommissionInvalides(
            f"La date de la session ({_format_date(date)}) est passée : une session se planifie "
            "à l'avance."
        )
    configuration = _configuration(_referentiel(plie, timezone.localtime(date).date()), type)
    _verifier_territoire(plie, territoire, configuration)
    with transaction.atomic():
        if SessionCommission.objects.filter(
            plie=plie, territoire=territoire, type=type_commission, date=date
        ).exists():
            raise DonneesCommissionInvalides(
                f"Une {type_commission.label.lower()} est déjà planifiée le {_format_date(date)}."
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
    return session


def composer_session(session, *, par, membres, president=None) -> SessionCommission:
    """Nomme les membres et le président (ajouté aux membres) d'une session non clôturée."""
    _exiger_gestion(par, session.plie_id, "composer une session de commission")
    with transaction.atomic():
        session = _verrouiller(session)
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
    _exiger_gestion(par, plie.pk, "planifier le calendrier des commissions")
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
    return creees


# — L'ordre du jour —


def _types_pour(parcours) -> tuple:
    return SESSIONS_SORTIE if parcours.statut in STATUTS_A_DECIDER_SORTIE else SESSIONS_ENTREE


def prochaine_session(parcours, *, apres=None) -> SessionCommission | None:
    """La prochaine session planifiée (ordre du jour pas encore envoyé) qui peut examiner ce
    dossier : même PLIE, son territoire ou tout le PLIE, commission d'entrée (ou mixte) pour une
    entrée, de sortie (ou mixte) pour une sortie."""
    apres = max(apres or timezone.now(), timezone.now())
    return (
        SessionCommission.objects.filter(
            plie_id=parcours.plie_id,
            type__in=_types_pour(parcours),
            statut=StatutSession.PLANIFIEE,
            date__gt=apres,
        )
        .filter(Q(territoire_id=parcours.territoire_id) | Q(territoire__isnull=True))
        .select_related("plie", "territoire")
        .order_by("date", "id")
        .first()
    )


def _decision_de_l_inscription():
    return Decision.objects.filter(
        session_id=OuterRef("session_id"), parcours_id=OuterRef("parcours_id")
    )


def _en_attente_ailleurs(parcours) -> InscriptionSession | None:
    """Une inscription du dossier, non décidée, sur une session ouverte."""
    return (
        InscriptionSession.objects.filter(
            parcours_id=parcours.pk, session__statut__in=STATUTS_SESSION_OUVERTE
        )
        .exclude(Exists(_decision_de_l_inscription()))
        .select_related("session__territoire")
        .first()
    )


def _objet(parcours) -> ObjetDossier:
    return (
        ObjetDossier.SORTIE if parcours.statut in STATUTS_A_DECIDER_SORTIE else ObjetDossier.ENTREE
    )


def _verifier_dossier_pour_session(session, parcours) -> None:
    nom = parcours.participant
    if parcours.plie_id != session.plie_id:
        raise DonneesCommissionInvalides(
            f"Le dossier de {nom} relève du {parcours.plie}, pas du {session.plie}."
        )
    if session.territoire_id and parcours.territoire_id != session.territoire_id:
        raise DonneesCommissionInvalides(
            f"Le dossier de {nom} relève du territoire « {parcours.territoire or 'aucun'} » ; "
            f"cette session est celle du territoire « {session.territoire} »."
        )
    if parcours.statut not in (
        Statut.RECEVABLE,
        *STATUTS_A_DECIDER_ENTREE,
        *STATUTS_A_DECIDER_SORTIE,
    ):
        raise DonneesCommissionInvalides(
            f"Le dossier de {nom} est à l'état « {parcours.get_statut_display()} » : il n'a pas "
            "à passer en commission."
        )
    if session.type not in _types_pour(parcours):
        examine = "les sorties" if _objet(parcours) == ObjetDossier.SORTIE else "les entrées"
        raise DonneesCommissionInvalides(
            f"Une {session.get_type_display().lower()} n'examine pas {examine}."
        )


def _ajouter(session, parcours, par, reportee_de=None) -> InscriptionSession:
    dernier = session.inscriptions.aggregate(dernier=Max("ordre"))["dernier"] or 0
    return InscriptionSession.objects.create(
        session=session,
        parcours=parcours,
        objet=_objet(parcours),
        ordre=dernier + 1,
        reportee_de=reportee_de,
        inscrite_par=par,
    )


def inscrire_a_la_session(session, parcours, *, par) -> InscriptionSession:
    """Inscrit le dossier à l'ordre du jour de `session`. Un dossier recevable ou ajourné passe
    en commission d'entrée (transition `inscrire_en_commission`) ; un dossier déjà en commission
    (retiré d'une autre session) ou une sortie proposée y est simplement ajouté."""
    _exiger_inscription(par, parcours, "inscrire un dossier à l'ordre du jour")
    with transaction.atomic():
        session = _verrouiller(session)
        if session.statut not in STATUTS_SESSION_INSCRIPTIBLE:
            raise SessionClose(
                f"La {session.libelle} est « {session.get_statut_display().lower()} » : on n'y "
                "inscrit plus de dossier."
            )
        parcours = (
            Parcours.objects.select_for_update(of=("self",))
            .select_related("participant", "plie", "territoire")
            .get(pk=parcours.pk)
        )
        _verifier_dossier_pour_session(session, parcours)
        if session.inscriptions.filter(parcours=parcours).exists():
            raise DonneesCommissionInvalides(
                f"Le dossier de {parcours.participant} est déjà à l'ordre du jour de cette session."
            )
        ailleurs = _en_attente_ailleurs(parcours)
        if ailleurs is not None:
            raise DonneesCommissionInvalides(
                f"Le dossier de {parcours.participant} est déjà à l'ordre du jour de la "
                f"{ailleurs.session.libelle} : retirez-l'en d'abord."
            )
        if parcours.statut in (Statut.RECEVABLE, Statut.AJOURNE):
            parcours.inscrire_en_commission(par=par)
            parcours.save()
        return _ajouter(session, parcours, par)


def inscrire_a_la_prochaine_session(parcours, *, par) -> InscriptionSession:
    """Inscrit le dossier à la prochaine session de son territoire (voir `prochaine_session`)."""
    _exiger_inscription(par, parcours, "inscrire un dossier en commission")
    session = prochaine_session(parcours)
    if session is None:
        commission = (
            "commission de sortie"
            if _objet(parcours) == ObjetDossier.SORTIE
            else "commission d'entrée"
        )
        ou = f"le territoire « {parcours.territoire} » du" if parcours.territoire_id else "le"
        raise AucuneSessionPlanifiee(
            f"Aucune {commission} n'est planifiée pour {ou} {parcours.plie} : planifiez une "
            "session avant d'y inscrire ce dossier."
        )
    return inscrire_a_la_session(session, parcours, par=par)


def retirer_de_l_ordre_du_jour(session, parcours, *, par) -> None:
    """Retire un dossier non décidé de l'ordre du jour ; son état ne change pas (il attend une
    nouvelle inscription)."""
    _exiger_gestion(par, session.plie_id, "modifier l'ordre du jour")
    with transaction.atomic():
        session = _verrouiller(session)
        if session.statut == StatutSession.CLOTUREE:
            raise SessionClose(f"La {session.libelle} est clôturée : son ordre du jour est figé.")
        decision = _decision_existante(session, parcours)
        if decision is not None:
            raise DejaDecide(
                _message_deja_decide(decision) + " Il ne peut plus être retiré de l'ordre du jour."
            )
        supprimees, _ = session.inscriptions.filter(parcours_id=parcours.pk).delete()
        if not supprimees:
            raise HorsOrdreDuJour(_message_hors_ordre_du_jour(session, parcours))


def _ordonner(inscriptions):
    """Les reports d'abord (ils attendent depuis une session), puis les entrées, puis les
    sorties ; dans chaque groupe, l'ordre d'inscription."""
    return inscriptions.annotate(
        rang=Case(
            When(reportee_de__isnull=False, then=0),
            When(objet=ObjetDossier.SORTIE, then=2),
            default=1,
            output_field=IntegerField(),
        )
    ).order_by("rang", "ordre", "id")


def _avec_dossier(inscriptions):
    return inscriptions.select_related(
        "session",
        "parcours__participant",
        "parcours__prescripteur",
        "parcours__referent",
        "parcours__structure_prescriptrice",
        "parcours__territoire",
        "reportee_de__session",
    )


def construire_ordre_du_jour(session):
    """Les dossiers de la session prêts pour décision (non décidés, toujours en attente), dans
    l'ordre de passage. Un QuerySet d'`InscriptionSession` (`.parcours`, `.reportee_de`)."""
    return _ordonner(
        _avec_dossier(
            session.inscriptions.filter(
                parcours__statut__in=(*STATUTS_A_DECIDER_ENTREE, *STATUTS_A_DECIDER_SORTIE)
            ).exclude(Exists(_decision_de_l_inscription()))
        )
    )


def lignes_de_session(session) -> list[InscriptionSession]:
    """Tout l'ordre du jour (décidé ou non), dans l'ordre de passage ; chaque ligne porte
    `.decision` (ou None). Deux requêtes, quel que soit le nombre de dossiers."""
    lignes = list(_ordonner(_avec_dossier(session.inscriptions.all())))
    decisions = {
        d.parcours_id: d for d in session.decisions.select_related("par", "referent", "structure")
    }
    for ligne in lignes:
        ligne.decision = decisions.get(ligne.parcours_id)
    return lignes


def dossiers_a_inscrire(plie):
    """Les dossiers qui attendent une commission sans être à l'ordre du jour d'une session
    ouverte : recevables, ajournés sans report, en commission sans session, sorties proposées."""
    en_attente = InscriptionSession.objects.filter(
        parcours_id=OuterRef("pk"), session__statut__in=STATUTS_SESSION_OUVERTE
    ).exclude(Exists(_decision_de_l_inscription()))
    return (
        Parcours.objects.filter(
            plie=plie,
            statut__in=(Statut.RECEVABLE, *STATUTS_A_DECIDER_ENTREE, *STATUTS_A_DECIDER_SORTIE),
        )
        .exclude(Exists(en_attente))
        .select_related("participant", "territoire", "structure_prescriptrice")
        .order_by("date_prescription", "id")
    )


def envoyer_ordre_du_jour(session, *, par) -> list:
    """Envoie l'ordre du jour aux membres (un courriel, la liste des dossiers) et, pour chaque
    dossier pas encore annoncé, à son prescripteur (un courriel rangé dans le dossier). Les
    dossiers ajournés reportés ici reviennent en commission d'entrée. Peut être renvoyé tant que
    la session n'est pas tenue (ordre du jour mis à jour). Renvoie les courriels."""
    _exiger_gestion(par, session.plie_id, "envoyer l'ordre du jour")
    with transaction.atomic():
        session = _verrouiller(session)
        if session.statut not in STATUTS_SESSION_INSCRIPTIBLE:
            raise SessionClose(
                f"La {session.libelle} est « {session.get_statut_display().lower()} » : son "
                "ordre du jour ne s'envoie plus."
            )
        if session.date <= timezone.now():
            raise DonneesCommissionInvalides(
                f"La {session.libelle} est passée : son ordre du jour ne s'envoie plus."
            )
        membres = list(session.membres.order_by("last_name", "first_name"))
        if not membres:
            raise DonneesCommissionInvalides(
                "Composez la session (membres et président) avant d'envoyer son ordre du jour."
            )
        lignes = list(construire_ordre_du_jour(session))
        if not lignes:
            raise DonneesCommissionInvalides(
                "L'ordre du jour est vide : inscrivez au moins un dossier avant de l'envoyer."
            )
        for ligne in lignes:
            if ligne.parcours.statut == Statut.AJOURNE:
                parcours = Parcours.objects.select_for_update(of=("self",)).get(
                    pk=ligne.parcours_id
                )
                parcours.inscrire_en_commission(par=par, motif=f"Reporté à la {session.libelle}")
                parcours.save()
        mise_a_jour = session.statut == StatutSession.ORDRE_DU_JOUR_ENVOYE
        session.statut = StatutSession.ORDRE_DU_JOUR_ENVOYE
        session.ordre_du_jour_envoye_le = timezone.now()
        session.save(update_fields=["statut", "ordre_du_jour_envoye_le", "updated_at"])

        nom = nom_commission(session)
        courriels = [_courriel_ordre_du_jour(session, nom, membres, lignes, par, mise_a_jour)]
        a_annoncer = [ligne for ligne in lignes if ligne.annoncee_le is None]
        for ligne in a_annoncer:
            if ligne.parcours.prescripteur_id:
                courriels.append(_courriel_examen(session, nom, ligne.parcours, par))
        InscriptionSession.objects.filter(pk__in=[ligne.pk for ligne in a_annoncer]).update(
            annoncee_le=timezone.now()
        )
    return courriels


def _en_tete(session, nom) -> str:
    texte = f"la {nom} du {session.plie}, le {_format_date(session.date)}"
    if session.lieu:
        texte += f" ({session.lieu})"
    if session.territoire_id:
        texte += f", territoire « {session.territoire} »"
    return texte


def _courriel_ordre_du_jour(session, nom, membres, lignes, par, mise_a_jour):
    dossiers = []
    for numero, ligne in enumerate(lignes, start=1):
        parcours = ligne.parcours
        texte = (
            f"{numero}. {parcours.participant} — "
            f"{'sortie' if ligne.objet == ObjetDossier.SORTIE else 'entrée'}"
        )
        if parcours.structure_prescriptrice_id:
            texte += f" — prescrit par {parcours.structure_prescriptrice}"
        if ligne.reportee_de_id:
            texte += f" (reporté de la session du {_format_date(ligne.reportee_de.session.date)})"
        dossiers.append(texte)
    sujet = f"Ordre du jour{' mis à jour' if mise_a_jour else ''} — {nom} du " + (
        f"{timezone.localtime(session.date):%d/%m/%Y}"
    )
    corps = (
        "Bonjour,\n\n"
        f"Voici l'ordre du jour de {_en_tete(session, nom)}.\n\n"
        f"Dossiers à examiner ({len(lignes)}) :\n" + "\n".join(dossiers) + "\n\n"
        "Les dossiers sont consultables dans l'application.\n"
    )
    return envoyer_courriel(destinataires=membres, sujet=sujet, corps=corps, par=par)


def _courriel_examen(session, nom, parcours, par):
    sujet = f"Dossier de {parcours.participant} : examen en commission le " + (
        f"{timezone.localtime(session.date):%d/%m/%Y}"
    )
    corps = (
        "Bonjour,\n\n"
        f"Le dossier de {parcours.participant}, que vous avez prescrit, sera examiné par "
        f"{_en_tete(session, nom)}.\n"
        "Vous serez informé·e de la décision à l'issue de la session.\n"
    )
    return envoyer_courriel(
        destinataires=[parcours.prescripteur], sujet=sujet, corps=corps, parcours=parcours, par=par
    )


# — Désigner le référent —


@dataclass(frozen=True)
class SuggestionReferent:
    referent: object
    structure: object
    meme_territoire: bool
    file_active: int
    etp: Decimal
    plafond: int | None
    au_dessus_du_plafond: bool
    avertissement: str


def _etp(etp: Decimal) -> str:
    return format(etp.normalize(), "f").replace(".", ",")


def suggerer_referents(parcours, *, date=None) -> list[SuggestionReferent]:
    """Les référents de parcours du PLIE (adhésions actives, rôle référent), ceux dont la
    structure est sur le territoire du dossier d'abord, puis par file active croissante.

    File active : les parcours qu'il suit dans cette structure en admis, en accompagnement,
    suspendus, en emploi ou en sortie proposée. Plafond : plafond du référentiel × ETP de
    l'adhésion. `au_dessus_du_plafond` : cette admission le mettrait au-delà du plafond.
    Une requête pour les référents et leur file active, une pour le référentiel."""
    date = date or timezone.localdate()
    portefeuille = section_portefeuille.de(parcours.plie, date)
    plafond_plein = portefeuille.plafond_par_referent if portefeuille else None
    file_active = (
        Parcours.objects.filter(
            referent_id=OuterRef("user_id"),
            structure_referente_id=OuterRef("structure_id"),
            statut__in=STATUTS_FILE_ACTIVE,
        )
        .order_by()
        .values("referent_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    adhesions = (
        Membership.objects.actives(date)
        .filter(role=Role.REFERENT, structure__plie_id=parcours.plie_id, user__is_active=True)
        .select_related("user", "structure__territoire")
        .annotate(file_active=Coalesce(Subquery(file_active), 0))
        .order_by("user_id", "structure_id", "-etp")
    )
    suggestions = {}
    for adhesion in adhesions:
        cle = (adhesion.user_id, adhesion.structure_id)
        if cle in suggestions:
            continue
        plafond = math.floor(plafond_plein * adhesion.etp) if plafond_plein is not None else None
        au_dessus = plafond is not None and adhesion.file_active + 1 > plafond
        avertissement = ""
        if au_dessus:
            avertissement = (
                f"{adhesion.user} suit déjà {adhesion.file_active} participant(s) pour un plafond "
                f"de {plafond} ({_etp(adhesion.etp)} ETP × {plafond_plein}) : cette admission "
                "dépasserait le plafond du PLIE."
            )
        suggestions[cle] = SuggestionReferent(
            referent=adhesion.user,
            structure=adhesion.structure,
            meme_territoire=bool(
                parcours.territoire_id
                and adhesion.structure.territoire_id == parcours.territoire_id
            ),
            file_active=adhesion.file_active,
            etp=adhesion.etp,
            plafond=plafond,
            au_dessus_du_plafond=au_dessus,
            avertissement=avertissement,
        )
    return sorted(
        suggestions.values(),
        key=lambda s: (
            not s.meme_territoire,
            s.file_active,
            str(s.referent).lower(),
            s.structure.nom,
        ),
    )


# — Décider —


def _decision_existante(session, parcours) -> Decision | None:
    return (
        Decision.objects.filter(session_id=session.pk, parcours_id=parcours.pk)
        .select_related("par")
        .first()
    )


def _message_deja_decide(decision: Decision) -> str:
    return (
        f"Ce dossier a déjà été décidé par {decision.par} le {_format_date(decision.le)} : "
        f"« {decision.get_type_display()} »."
    )


def _message_hors_ordre_du_jour(session, parcours) -> str:
    participant = getattr(parcours, "participant", None) or "ce participant"
    return (
        f"Le dossier de {participant} n'est pas (ou plus) à l'ordre du jour de la "
        f"{session.libelle} : rien n'a été enregistré."
    )


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
        session = _verrouiller(session)
        if session.statut == StatutSession.CLOTUREE:
            raise SessionClose(
                f"La {session.libelle} est clôturée depuis le {_format_date(session.cloturee_le)} "
                ": ses décisions sont arrêtées."
            )
        existante = _decision_existante(session, parcours)
        if existante is not None:
            raise DejaDecide(_message_deja_decide(existante))
        inscription = session.inscriptions.filter(parcours_id=parcours.pk).first()
        if inscription is None:
            raise HorsOrdreDuJour(_message_hors_ordre_du_jour(session, parcours))
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
            raise DejaDecide(_message_deja_decide(_decision_existante(session, parcours))) from None
        if session.statut != StatutSession.TENUE:
            session.statut = StatutSession.TENUE
            session.save(update_fields=["statut", "updated_at"])
        if type_decision == TypeDecision.AJOURNE:
            _reporter(session, inscription, parcours, par)
    return decision


def _reporter(session, inscription, parcours, par) -> InscriptionSession | None:
    """Le dossier ajourné est inscrit (réservé) à la prochaine session planifiée de son
    territoire ; il y revient en commission à l'envoi de l'ordre du jour."""
    suivante = prochaine_session(parcours, apres=session.date)
    if suivante is None:
        return None
    suivante = _verrouiller(suivante)
    if suivante.statut != StatutSession.PLANIFIEE:
        return None
    if suivante.inscriptions.filter(parcours=parcours).exists():
        return None
    return _ajouter(suivante, parcours, par, reportee_de=inscription)


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


# — Clôturer —


def cloturer_session(session, *, par, presents=None) -> SessionCommission:
    """Clôture la session : relève les présents (par défaut, tous les membres), établit le
    procès-verbal (PDF rangé dans `session.proces_verbal`) et informe chaque prescripteur de la
    décision sur son dossier (le référent, pour une sortie). Tous les dossiers de l'ordre du
    jour doivent avoir été décidés ou retirés."""
    with transaction.atomic():
        session = _verrouiller(session)
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
                f"La {session.libelle} a déjà été clôturée le {_format_date(session.cloturee_le)}."
            )
        sans_decision = list(
            session.inscriptions.exclude(Exists(_decision_de_l_inscription()))
            .select_related("parcours__participant")
            .order_by("ordre")
        )
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
        session.presents.set(presents)
        session.statut = StatutSession.CLOTUREE
        session.cloturee_le = timezone.now()
        session.cloturee_par = par
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


def _notifier_decision(session, nom, decision, parcours, reports, par):
    participant = parcours.participant
    en_tete = f"La {nom} du {session.plie}, réunie le {_format_date(session.date)}"
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
            f"la session du {_format_date(report.session.date)}."
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
