"""Les candidatures : enregistrer une personne hors PLIE, proposer quelqu'un sur un besoin, puis
les étapes que mène le facilitateur (éligibilité, positionnement, décision de l'entreprise,
embauche). Chaque étape relit la candidature verrouillée."""

import datetime

from django.db import IntegrityError, transaction

from parcours.accompagnement.models import Parcours
from parcours.clauses.enums import StatutBesoin, StatutPositionnement
from parcours.clauses.models import Besoin, CandidatExterne, Positionnement
from parcours.clauses.services.eligibilite import evaluer_eligibilite_clause
from parcours.core.enums import Role
from parcours.core.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.models import PLIE, Membership
from parcours.core.perimetre import perimetre
from parcours.core.roles import ROLES_REFERENT


@transaction.atomic
def enregistrer_candidat_externe(*, par, plie, **donnees) -> CandidatExterne:
    """Une personne hors PLIE, avec les seules données utiles à la clause (001:L4348)."""
    if not par.has_perm("core.proposer_candidature", plie):
        raise TransitionNonAutorisee("Vous ne pouvez pas proposer de candidat dans ce PLIE.")
    if donnees.get("rqth_jusqu_au") and not donnees.get("rqth"):
        raise DonneesTransitionInvalides("Une date de validité RQTH suppose une RQTH.")
    structure = _structure_de(par, plie.pk, [Role.PRESCRIPTEUR, Role.REFERENT, Role.FACILITATEUR])
    return CandidatExterne.objects.create(plie=plie, created_by=par, structure=structure, **donnees)


def _structure_de(user, plie_id, roles):
    membership = (
        Membership.objects.actives()
        .filter(user=user, structure__plie_id=plie_id, role__in=roles)
        .select_related("structure")
        .order_by("role", "structure__nom")
        .first()
    )
    return membership.structure if membership else None


def _role_proposant(par, plie_id, participant) -> str:
    p = perimetre(par)
    if participant is not None:
        if (
            p.a_role(plie_id, ROLES_REFERENT)
            and Parcours.objects.filter(
                participant=participant, plie_id=plie_id, referent=par
            ).exists()
        ):
            return Role.REFERENT
        return Role.PRESCRIPTEUR
    for role in (Role.FACILITATEUR, Role.PRESCRIPTEUR, Role.REFERENT):
        if p.a_role(plie_id, {role}):
            return role
    return Role.FACILITATEUR  # superutilisateur


@transaction.atomic
def proposer_candidature(
    *, par, besoin: Besoin, participant=None, candidat_externe=None, commentaire=""
) -> Positionnement:
    """Propose une personne sur un besoin ouvert : un participant (son référent ou son
    prescripteur) ou un candidat externe (celui qui l'a enregistré, ou le facilitateur).
    L'éligibilité à la clause est évaluée aussitôt, pour le facilitateur qui la confirmera."""
    plie_id = besoin.marche.plie_id
    if not par.has_perm("core.proposer_candidature", PLIE(pk=plie_id)):
        raise TransitionNonAutorisee("Vous ne pouvez pas proposer de candidat dans ce PLIE.")
    if (participant is None) == (candidat_externe is None):
        raise DonneesTransitionInvalides(
            "Indiquez soit un participant du PLIE, soit un candidat externe (un seul des deux)."
        )
    besoin = Besoin.objects.select_for_update().get(pk=besoin.pk)
    if besoin.statut != StatutBesoin.OUVERT:
        raise TransitionInterdite(
            f"Ce besoin est « {besoin.get_statut_display().lower()} » : il ne reçoit plus de "
            "candidatures."
        )
    ouvert = (
        Parcours.objects.ouverts().filter(participant=participant, plie_id=plie_id).first()
        if participant is not None
        else None
    )
    if participant is not None and not (
        ouvert is not None and par.has_perm("accompagnement.proposer_sur_clause", ouvert)
    ):
        raise TransitionNonAutorisee(
            "Vous ne pouvez proposer que les participants que vous suivez ou avez prescrits, "
            "avec un parcours en cours dans ce PLIE."
        )
    if candidat_externe is not None and (
        candidat_externe.plie_id != plie_id
        or not par.has_perm("clauses.view_candidatexterne", candidat_externe)
    ):
        raise TransitionNonAutorisee("Ce candidat ne vous est pas accessible.")
    structure = _structure_de(par, plie_id, [Role.REFERENT, Role.PRESCRIPTEUR, Role.FACILITATEUR])
    try:
        with transaction.atomic():
            positionnement = Positionnement.objects.create(
                besoin=besoin,
                plie_id=plie_id,
                participant=participant,
                candidat_externe=candidat_externe,
                propose_par=par,
                role_proposant=_role_proposant(par, plie_id, participant),
                structure_proposante=structure,
                commentaire=(commentaire or "").strip(),
            )
    except IntegrityError:
        raise DonneesTransitionInvalides(
            "Cette personne est déjà candidate sur ce besoin (candidature en cours)."
        ) from None
    evaluer_eligibilite_clause(positionnement)
    return positionnement


def _relire(positionnement: Positionnement) -> Positionnement:
    """La candidature relue et verrouillée : deux décisions simultanées ne s'écrasent pas."""
    actuel = (
        Positionnement.objects.select_for_update()
        .select_related("besoin__marche__plie")
        .get(pk=positionnement.pk)
    )
    if actuel.statut != positionnement.statut:
        raise ConflitTransition(
            "Cette candidature vient d'être modifiée par une autre personne : rechargez la page "
            "pour voir son état actuel avant d'agir."
        )
    return actuel


@transaction.atomic
def verifier_eligibilite(positionnement, *, par, eligible: bool, motif="") -> Positionnement:
    """Le facilitateur confirme (ou non) l'éligibilité, l'évaluation expliquée sous les yeux.

    Confirmer une personne que les critères ne retiennent pas demande un motif (dérogation
    tracée) ; la déclarer non éligible aussi."""
    positionnement = _relire(positionnement)
    resultat = evaluer_eligibilite_clause(positionnement)
    motif = (motif or "").strip()
    if eligible:
        if not resultat["eligible"] and not motif:
            raise DonneesTransitionInvalides(
                "Les critères du référentiel ne retiennent pas cette personne : indiquez le motif "
                "pour confirmer malgré tout son éligibilité."
            )
        positionnement.confirmer_eligibilite(par=par, motif=motif)
    else:
        positionnement.declarer_non_eligible(par=par, motif=motif)
    positionnement.save()
    return positionnement


@transaction.atomic
def positionner(positionnement, *, par, motif="") -> Positionnement:
    """Le facilitateur présente la candidature à l'entreprise (CV validé)."""
    positionnement = _relire(positionnement)
    positionnement.positionner(par=par, motif=motif)
    positionnement.save()
    return positionnement


@transaction.atomic
def enregistrer_decision_entreprise(
    positionnement, *, par, retenue: bool, motif=""
) -> Positionnement:
    """La décision de l'entreprise après l'entretien, que le facilitateur enregistre."""
    positionnement = _relire(positionnement)
    if retenue:
        positionnement.retenir(par=par, motif=motif)
    else:
        positionnement.ecarter(par=par, motif=motif)
    positionnement.save()
    return positionnement


@transaction.atomic
def enregistrer_embauche(
    positionnement,
    *,
    par,
    date_embauche: datetime.date,
    type_contrat: str,
    employeur: str,
    date_fin: datetime.date | None = None,
    heures_hebdo=None,
    motif="",
) -> Positionnement:
    """L'entreprise a embauché : la candidature est close « embauchée » et le besoin pourvu
    quand tous ses postes le sont. Pour un participant, son référent inscrit ensuite le contrat
    et l'étape dans le parcours (`inscrire_embauche_au_parcours`)."""
    positionnement = _relire(positionnement)
    employeur = (employeur or "").strip()
    if not employeur:
        raise DonneesTransitionInvalides("Indiquez l'employeur.")
    if date_fin is not None and date_fin < date_embauche:
        raise DonneesTransitionInvalides(
            "La fin du contrat doit être postérieure ou égale à la date d'embauche."
        )
    positionnement.embaucher(
        par=par,
        motif=motif,
        date_embauche=date_embauche,
        type_contrat=type_contrat,
        employeur=employeur,
        date_fin=date_fin,
        heures_hebdo=heures_hebdo,
    )
    positionnement.save()
    besoin = Besoin.objects.select_for_update().get(pk=positionnement.besoin_id)
    embauches = besoin.positionnements.filter(statut=StatutPositionnement.EMBAUCHEE).count()
    if besoin.statut == StatutBesoin.OUVERT and embauches >= besoin.nb_postes:
        besoin.statut = StatutBesoin.POURVU
        besoin.save(update_fields=["statut", "updated_at"])
    return positionnement
