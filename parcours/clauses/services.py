"""Services des clauses, nommés d'après ce que fait l'utilisateur (docs/clauses.md).

Chaque service prend l'acteur (`par`), vérifie ses droits par `par.has_perm(...)` (la politique
d'accès répond) et ne change rien quand il refuse (`TransitionNonAutorisee`,
`DonneesTransitionInvalides`, `TransitionInterdite` : messages en français). Qui doit agir ensuite
(tâches) relève de `workflows/clauses/flows.py`."""

import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from parcours.accompagnement.enums import StatutEtape
from parcours.accompagnement.models import Parcours
from parcours.clauses.enums import StatutBesoin, StatutPositionnement
from parcours.clauses.models import Besoin, CandidatExterne, Positionnement
from parcours.core.enums import Role
from parcours.core.errors import (
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.models import PLIE, Membership
from parcours.core.perimetre import perimetre
from parcours.core.roles import ROLES_REFERENT
from parcours.emploi.enums import TYPES_IAE
from parcours.referentiel.sections import clauses as section_clauses
from parcours.referentiel.sections.eligibilite import PersonneInvalide


def _exiger_facilitateur(par, plie_id: int, action: str) -> None:
    if not par.has_perm("core.faciliter", PLIE(pk=plie_id)):
        raise TransitionNonAutorisee(
            f"Vous ne pouvez pas {action} : c'est le rôle du facilitateur clauses du PLIE."
        )


# — Besoins —


@transaction.atomic
def enregistrer_besoin(*, par, marche, **donnees) -> Besoin:
    """Le facilitateur enregistre un poste que l'attributaire veut pourvoir ; il en est chargé."""
    _exiger_facilitateur(par, marche.plie_id, "enregistrer un besoin")
    lot = donnees.get("lot")
    if lot is not None and lot.marche_id != marche.pk:
        raise DonneesTransitionInvalides("Ce lot n'appartient pas au marché choisi.")
    return Besoin.objects.create(marche=marche, facilitateur=par, **donnees)


def destinataires_opportunites(plie_id: int):
    """Les référents et prescripteurs actifs du PLIE : ils reçoivent les besoins (001:L4343)."""
    from parcours.core.models import User

    ids = (
        Membership.objects.actives()
        .filter(
            structure__plie_id=plie_id,
            role__in=[Role.REFERENT, Role.REFERENT_ETAPE, Role.PRESCRIPTEUR],
        )
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def diffuser_besoin(besoin: Besoin, *, par, url: str = ""):
    """Envoie l'opportunité aux référents et prescripteurs du PLIE (un courriel, gardé)."""
    from parcours.courriels.services import envoyer_courriel

    _exiger_facilitateur(par, besoin.marche.plie_id, "diffuser un besoin")
    if besoin.statut != StatutBesoin.OUVERT:
        raise TransitionInterdite("Seul un besoin ouvert se diffuse.")
    marche = besoin.marche
    periode = f"à partir du {besoin.date_debut:%d/%m/%Y}"
    if besoin.date_fin:
        periode += f" jusqu'au {besoin.date_fin:%d/%m/%Y}"
    corps = (
        f"Bonjour,\n\nUne offre au titre d'une clause sociale d'insertion est ouverte :\n\n"
        f"Poste : {besoin.poste} ({besoin.nb_postes} poste(s))\n"
        f"Contrat : {besoin.get_type_contrat_display()}, {periode}\n"
        f"Marché : {marche.numero} — {marche.intitule}\n"
        f"Entreprise : {marche.attributaire or 'à préciser'}\n\n"
        f"{besoin.description}\n\n"
        "Proposez vos candidats (participants du PLIE ou autres personnes éligibles) depuis "
        f"l'application{' : ' + url if url else ''}.\n\n"
        f"{par.get_full_name() or par.username}, facilitateur clauses"
    )
    courriel = envoyer_courriel(
        destinataires=list(destinataires_opportunites(marche.plie_id)),
        sujet=f"Clause sociale : {besoin.poste} — {marche.numero}",
        corps=corps,
        par=par,
    )
    Besoin.objects.filter(pk=besoin.pk).update(diffuse_le=timezone.now())
    besoin.diffuse_le = timezone.now()
    return courriel


@transaction.atomic
def clore_besoin(besoin: Besoin, *, par, pourvu: bool) -> Besoin:
    _exiger_facilitateur(par, besoin.marche.plie_id, "clore un besoin")
    besoin = Besoin.objects.select_for_update().get(pk=besoin.pk)
    if besoin.statut != StatutBesoin.OUVERT:
        raise TransitionInterdite("Ce besoin est déjà clos.")
    besoin.statut = StatutBesoin.POURVU if pourvu else StatutBesoin.CLOS
    besoin.save(update_fields=["statut"])
    return besoin


# — Candidats et candidatures —


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


# — Éligibilité —


def _iso(d):
    return d.isoformat() if d else None


def _salarie_iae(participant, plie_id, date) -> bool:
    """Un contrat IAE en cours à `date` dans un parcours de ce PLIE (si l'emploi est installé)."""
    try:
        Contrat = apps.get_model("emploi", "Contrat")
    except LookupError:
        return False
    return Contrat.objects.filter(
        Q(fin__isnull=True) | Q(fin__gte=date),
        parcours__participant=participant,
        parcours__plie_id=plie_id,
        type__in=TYPES_IAE,
        debut__lte=date,
    ).exists()


def personne_pour_clause(positionnement: Positionnement, date: datetime.date) -> dict:
    """La situation de la personne au format du moteur (docs/eligibilite.md) + `salarie_iae`."""
    plie_id = positionnement.besoin.marche.plie_id
    if positionnement.participant_id:
        from parcours.accompagnement.services import personne_pour_eligibilite

        participant = positionnement.participant
        parcours = (
            Parcours.objects.filter(participant=participant, plie_id=plie_id)
            .exclude(prescription__isnull=True)
            .select_related("prescription", "participant")
            .order_by("-date_prescription", "-id")
            .first()
        )
        if parcours is None:
            raise DonneesTransitionInvalides(
                "Ce participant n'a pas de prescription dans ce PLIE : sa situation est inconnue."
            )
        personne = personne_pour_eligibilite(parcours.prescription, date)
        personne["via_clause"] = True
        personne["salarie_iae"] = _salarie_iae(participant, plie_id, date)
        return personne
    externe = positionnement.candidat_externe
    statuts = [{"code": code} for code in ("rsa", "qpv", "rqth") if getattr(externe, code)]
    return {
        "date": date.isoformat(),
        "date_naissance": externe.date_naissance.isoformat(),
        "commune_insee": externe.commune_insee or None,
        # DELD déclaré : 12 mois sans emploi révolus à la date de l'évaluation.
        "sans_emploi_depuis": _iso(date - relativedelta(months=12)) if externe.deld else None,
        "statuts": statuts,
        "freins": [],
        "niveau_qualification": externe.niveau_qualification,
        "bac": None,
        "rqth_jusqu_au": _iso(externe.rqth_jusqu_au),
        "suivi_mission_locale": False,
        "suivi_cap_emploi": False,
        "via_clause": True,
        "salarie_iae": externe.salarie_iae,
    }


def evaluer_eligibilite_clause(positionnement: Positionnement, date=None) -> dict:
    """Évalue la personne selon la section `clauses` du référentiel en vigueur et garde le
    résultat expliqué sur la candidature (JSON du moteur : `eligible`, `criteres`)."""
    date = date or timezone.localdate()
    plie = positionnement.besoin.marche.plie
    public = section_clauses.de(plie, date)
    if public is None:
        resultat = _non_evaluable(
            "referentiel",
            f"Le référentiel en vigueur du {plie.nom} ne définit pas le public éligible aux "
            "clauses (section « clauses ») : éligibilité à apprécier par le facilitateur.",
        )
    else:
        try:
            resultat = public.evaluer(personne_pour_clause(positionnement, date)).as_json()
        except PersonneInvalide as exc:
            resultat = _non_evaluable(exc.champ, f"Situation incomplète : {exc.message}")
        except DonneesTransitionInvalides as exc:
            resultat = _non_evaluable("situation", str(exc))
    positionnement.eligibilite = resultat
    positionnement.eligibilite_evaluee_le = timezone.now()
    Positionnement.objects.filter(pk=positionnement.pk).update(
        eligibilite=resultat, eligibilite_evaluee_le=positionnement.eligibilite_evaluee_le
    )
    return resultat


def _non_evaluable(code, explication) -> dict:
    return {
        "eligible": False,
        "criteres": [{"code": code, "satisfait": False, "explication": explication}],
    }


# — Les étapes de la candidature (facilitateur) —


def _relire(positionnement: Positionnement) -> Positionnement:
    """La candidature relue et verrouillée : deux décisions simultanées ne s'écrasent pas."""
    actuel = (
        Positionnement.objects.select_for_update()
        .select_related("besoin__marche__plie")
        .get(pk=positionnement.pk)
    )
    if actuel.statut != positionnement.statut:
        from parcours.core.errors import ConflitTransition

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
        besoin.save(update_fields=["statut"])
    return positionnement


def parcours_du_positionnement(positionnement) -> Parcours | None:
    """Le parcours ouvert du participant dans le PLIE du besoin (None pour un externe)."""
    if not positionnement.participant_id:
        return None
    return (
        Parcours.objects.ouverts()
        .filter(
            participant_id=positionnement.participant_id,
            plie_id=positionnement.besoin.marche.plie_id,
        )
        .first()
    )


@transaction.atomic
def inscrire_embauche_au_parcours(
    positionnement, *, par, type_etape: str, intitule="", periode_essai_jours=None
):
    """Le référent du participant inscrit l'embauche : un contrat (parcours.emploi) et une
    étape emploi de son parcours (parcours.accompagnement.suivi), au nom du référent — le
    facilitateur, lui, ne modifie pas le parcours. Le contrat est relié à la candidature
    (`Positionnement.contrat`) : sa période d'essai dit si l'embauche est confirmée.
    Rend (contrat, étape)."""
    from parcours.accompagnement.suivi import ajouter_etape
    from parcours.emploi.services import enregistrer_contrat

    positionnement = Positionnement.objects.select_for_update().get(pk=positionnement.pk)
    if positionnement.statut != StatutPositionnement.EMBAUCHEE:
        raise TransitionInterdite("Seule une candidature embauchée s'inscrit au parcours.")
    if positionnement.inscrite_au_parcours_le is not None:
        raise TransitionInterdite("Cette embauche est déjà inscrite au parcours.")
    parcours = parcours_du_positionnement(positionnement)
    if parcours is None:
        raise TransitionInterdite("Cette personne n'a pas de parcours en cours dans ce PLIE.")
    besoin = positionnement.besoin
    contrat = enregistrer_contrat(
        parcours,
        par=par,
        type=positionnement.type_contrat,
        employeur=positionnement.employeur,
        debut=positionnement.date_embauche,
        fin=positionnement.date_fin_contrat,
        heures_hebdo=positionnement.heures_hebdo,
        periode_essai_jours=periode_essai_jours,
    )
    etape = ajouter_etape(
        parcours,
        par,
        type_code=type_etape,
        date_debut=positionnement.date_embauche,
        date_fin=positionnement.date_fin_contrat,
        # Commencée : « en cours » (ses preuves, dont le contrat de travail, seront à joindre).
        statut=(
            StatutEtape.EN_COURS
            if positionnement.date_embauche <= timezone.localdate()
            else StatutEtape.PREVUE
        ),
        intitule=intitule or f"Clause sociale : {besoin.poste} ({besoin.marche.numero})",
        prestataire=positionnement.employeur,
    )
    positionnement.inscrite_au_parcours_le = timezone.now()
    positionnement.inscrite_au_parcours_par = par
    positionnement.contrat = contrat
    Positionnement.objects.filter(pk=positionnement.pk).update(
        inscrite_au_parcours_le=positionnement.inscrite_au_parcours_le,
        inscrite_au_parcours_par=par,
        contrat=contrat,
    )
    return contrat, etape


# Ce que l'on dit à la personne qui a proposé la candidature, selon l'état atteint.
NOUVELLES = {
    StatutPositionnement.NON_ELIGIBLE: "n'a pas été retenue à la vérification d'éligibilité",
    StatutPositionnement.POSITIONNEE: "a été présentée à l'entreprise",
    StatutPositionnement.RETENUE: "a été retenue par l'entreprise",
    StatutPositionnement.NON_RETENUE: "n'a pas été retenue par l'entreprise",
    StatutPositionnement.EMBAUCHEE: "a abouti à une embauche",
}


def informer_proposant(positionnement: Positionnement, *, par):
    """Un courriel à qui a proposé la candidature (référent, prescripteur) : où elle en est et
    pourquoi ; gardé dans le dossier du participant s'il en a un. Rien s'il s'agit de `par`."""
    from parcours.courriels.services import envoyer_courriel

    nouvelle = NOUVELLES.get(positionnement.statut)
    if nouvelle is None or positionnement.propose_par_id == par.pk:
        return None
    besoin = positionnement.besoin
    lignes = [
        f"La candidature de {positionnement.personne} sur le poste « {besoin.poste} » "
        f"(marché {besoin.marche.numero}) {nouvelle}."
    ]
    motif = positionnement.transitions.order_by("-at", "-id").values_list("motif", flat=True)
    motif = motif.first()
    if motif:
        lignes.append(f"Motif : {motif}")
    if positionnement.statut == StatutPositionnement.EMBAUCHEE:
        lignes.append(
            f"{positionnement.get_type_contrat_display()} chez {positionnement.employeur} à "
            f"partir du {positionnement.date_embauche:%d/%m/%Y}."
        )
        if positionnement.participant_id:
            lignes.append(
                "Son référent inscrit l'embauche dans le parcours (contrat et étape) : la tâche "
                "l'attend dans sa boîte de tâches."
            )
    lignes.append(f"\n{par.get_full_name() or par.username}, facilitateur clauses")
    return envoyer_courriel(
        destinataires=[positionnement.propose_par],
        sujet=f"Clause sociale : {positionnement.personne} — {positionnement.get_statut_display()}",
        corps="Bonjour,\n\n" + "\n".join(lignes),
        parcours=parcours_du_positionnement(positionnement),
        par=par,
    )
