"""L'ordre du jour d'une session : la prochaine session qui peut examiner un dossier, inscrire
(ou retirer) un dossier, l'ordre de passage, les dossiers qui attendent une commission."""

from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, When
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import (
    SESSIONS_ENTREE,
    SESSIONS_SORTIE,
    STATUTS_A_DECIDER_ENTREE,
    STATUTS_A_DECIDER_SORTIE,
    STATUTS_SESSION_INSCRIPTIBLE,
    STATUTS_SESSION_OUVERTE,
    STATUTS_SESSION_RETRAIT,
    ObjetDossier,
    StatutSession,
    TypeCommission,
)
from parcours.commissions.errors import (
    AucuneSessionPlanifiee,
    DejaDecide,
    DonneesCommissionInvalides,
    HorsOrdreDuJour,
    SessionClose,
)
from parcours.commissions.models import InscriptionSession, SessionCommission
from parcours.commissions.services.sessions import (
    decision_de_l_inscription,
    decision_existante,
    exiger_gestion,
    message_deja_decide,
    message_hors_ordre_du_jour,
    verrouiller,
)


def _exiger_inscription(par, parcours, action: str) -> None:
    # L'animation ; le référent pour la sortie qu'il propose (acces.peut_inscrire_en_commission).
    if not par.has_perm("accompagnement.inscrire_a_l_ordre_du_jour", parcours):
        exiger_gestion(par, parcours.plie_id, action)


def _types_pour(parcours) -> tuple:
    return SESSIONS_SORTIE if parcours.statut in STATUTS_A_DECIDER_SORTIE else SESSIONS_ENTREE


def prochaine_session(parcours, *, apres=None, sauf=None) -> SessionCommission | None:
    """La prochaine session planifiée (ordre du jour pas encore envoyé) qui peut examiner ce
    dossier : même PLIE, son territoire ou tout le PLIE, commission d'entrée (ou mixte) pour une
    entrée, de sortie (ou mixte) pour une sortie."""
    apres = max(apres or timezone.now(), timezone.now())
    sessions = SessionCommission.objects.exclude(pk=sauf.pk) if sauf else SessionCommission.objects
    return (
        sessions.filter(
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


def _en_attente_ailleurs(parcours) -> InscriptionSession | None:
    """Une inscription du dossier, non décidée, sur une session ouverte."""
    return (
        InscriptionSession.objects.filter(
            parcours_id=parcours.pk, session__statut__in=STATUTS_SESSION_OUVERTE
        )
        .exclude(Exists(decision_de_l_inscription()))
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


def ajouter(session, parcours, par, reportee_de=None) -> InscriptionSession:
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
        session = verrouiller(session)
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
        return ajouter(session, parcours, par)


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
    exiger_gestion(par, session.plie_id, "modifier l'ordre du jour")
    with transaction.atomic():
        session = verrouiller(session)
        if session.statut == StatutSession.CLOTUREE:
            raise SessionClose(f"La {session.libelle} est clôturée : son ordre du jour est figé.")
        decision = decision_existante(session, parcours)
        if decision is not None:
            raise DejaDecide(
                message_deja_decide(decision) + " Il ne peut plus être retiré de l'ordre du jour."
            )
        if session.statut not in STATUTS_SESSION_RETRAIT:
            raise SessionClose(
                f"La {session.libelle} est « {session.get_statut_display().lower()} » : son "
                "ordre du jour est figé."
            )
        supprimees, _ = session.inscriptions.filter(parcours_id=parcours.pk).delete()
        if not supprimees:
            raise HorsOrdreDuJour(message_hors_ordre_du_jour(session, parcours))
        # Le dernier dossier non décidé retiré d'une séance en cours : elle est tenue.
        if (
            session.statut == StatutSession.EN_COURS
            and not session.inscriptions.exclude(Exists(decision_de_l_inscription())).exists()
        ):
            session.terminer(par=par, motif="Dernier dossier non décidé retiré")
            session.save()


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
        "parcours__prescription",
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
            ).exclude(Exists(decision_de_l_inscription()))
        )
    )


def sommaire_de_session(session) -> list[tuple[int, bool]]:
    """(parcours, décidé) de chaque ligne de l'ordre du jour, dans l'ordre de passage : une
    requête sur les clés seules, pour compter et situer une ligne sans charger les dossiers."""
    return list(
        _ordonner(session.inscriptions.all())
        .annotate(decide=Exists(decision_de_l_inscription()))
        .values_list("parcours_id", "decide")
    )


def lignes_de_session(session, parcours_ids=None) -> list[InscriptionSession]:
    """L'ordre du jour (décidé ou non), dans l'ordre de passage : tout, ou les lignes des
    dossiers `parcours_ids` (une page, prise dans `sommaire_de_session`) ; chaque ligne porte
    `.decision` (ou None). Deux requêtes, quel que soit le nombre de dossiers."""
    inscriptions = session.inscriptions.all()
    if parcours_ids is not None:
        # Par les clés plutôt que LIMIT/OFFSET : avec une limite, PostgreSQL trie l'ordre du
        # jour joint à toute la table des parcours (80 ms à 100 000 contre ~1 ms ici).
        inscriptions = inscriptions.filter(parcours_id__in=parcours_ids)
    lignes = list(_ordonner(_avec_dossier(inscriptions)))
    decisions = {
        d.parcours_id: d
        for d in session.decisions.filter(
            parcours_id__in=[ligne.parcours_id for ligne in lignes]
        ).select_related("par", "referent", "structure")
    }
    for ligne in lignes:
        ligne.decision = decisions.get(ligne.parcours_id)
    return lignes


STATUTS_A_PLACER_ENTREE = (Statut.RECEVABLE, *STATUTS_A_DECIDER_ENTREE)


def _statuts_pour_session(type_session) -> tuple:
    """Les états des dossiers qu'une séance de ce type examine."""
    if type_session == TypeCommission.ENTREE:
        return STATUTS_A_PLACER_ENTREE
    if type_session == TypeCommission.SORTIE:
        return STATUTS_A_DECIDER_SORTIE
    return (*STATUTS_A_PLACER_ENTREE, *STATUTS_A_DECIDER_SORTIE)


def _sans_session_ouverte(parcours):
    en_attente = InscriptionSession.objects.filter(
        parcours_id=OuterRef("pk"), session__statut__in=STATUTS_SESSION_OUVERTE
    ).exclude(Exists(decision_de_l_inscription()))
    return parcours.exclude(Exists(en_attente))


def dossiers_a_inscrire(plie, session=None):
    """Les dossiers qui attendent une commission sans être à l'ordre du jour d'une session
    ouverte : recevables, ajournés sans report, en commission sans session, sorties proposées.
    Avec `session` : ceux qu'elle peut examiner (son type, son territoire), les seuls candidats
    de son écran."""
    statuts = (
        _statuts_pour_session(session.type)
        if session is not None
        else (*STATUTS_A_PLACER_ENTREE, *STATUTS_A_DECIDER_SORTIE)
    )
    parcours = Parcours.objects.filter(plie=plie, statut__in=statuts)
    if session is not None and session.territoire_id:
        parcours = parcours.filter(territoire_id=session.territoire_id)
    return (
        _sans_session_ouverte(parcours)
        .select_related("participant", "territoire", "structure_prescriptrice")
        .order_by("date_prescription", "id")
    )


def comptes_a_placer(plies) -> dict[int, dict[str, int]]:
    """Par PLIE : combien de dossiers attendent une commission d'entrée (`entree`) et de sortie
    (`sortie`) sans être à l'ordre du jour d'une séance ouverte. Une requête agrégée."""
    lignes = (
        _sans_session_ouverte(
            Parcours.objects.filter(
                plie__in=plies, statut__in=(*STATUTS_A_PLACER_ENTREE, *STATUTS_A_DECIDER_SORTIE)
            )
        )
        .order_by()
        .values("plie_id")
        .annotate(
            entree=Count("pk", filter=Q(statut__in=STATUTS_A_PLACER_ENTREE)),
            sortie=Count("pk", filter=Q(statut__in=STATUTS_A_DECIDER_SORTIE)),
        )
    )
    return {
        ligne["plie_id"]: {"entree": ligne["entree"], "sortie": ligne["sortie"]} for ligne in lignes
    }


# Placés d'office sur une séance nouvelle : ceux qui n'ont trouvé aucune séance en devenant
# recevables ou en proposant leur sortie (un dossier retiré ou ajourné attend l'animation).
STATUTS_PLACES_D_OFFICE = (Statut.RECEVABLE, *STATUTS_A_DECIDER_SORTIE)


def placer_les_dossiers_en_attente(session, *, par) -> list[InscriptionSession]:
    """Inscrit sur `session` (qui vient d'être planifiée) les dossiers recevables et les sorties
    proposées qu'elle peut examiner et qui n'attendent sur aucune séance ouverte."""
    dossiers = dossiers_a_inscrire(session.plie, session).filter(statut__in=STATUTS_PLACES_D_OFFICE)
    return [inscrire_a_la_session(session, parcours, par=par) for parcours in dossiers]
