"""Décider en session : la décision et la transition du parcours, ensemble ou pas du tout."""

import pytest

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import ObjetDossier, StatutSession, TypeCommission, TypeDecision
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
    DejaDecide,
    DonneesCommissionInvalides,
    HorsOrdreDuJour,
    SessionClose,
)
from parcours.commissions.models import Decision, InscriptionSession, SessionCommission
from parcours.commissions.services import decider, report_de, retirer_de_l_ordre_du_jour
from parcours.core.enums import Role
from parcours.core.errors import DonneesTransitionInvalides

pytestmark = pytest.mark.django_db


def etat(parcours):
    """Ce qu'une décision refusée ne doit pas avoir changé."""
    parcours.refresh_from_db()
    return (
        parcours.statut,
        parcours.referent_id,
        parcours.transitions.count(),
        Decision.objects.filter(parcours=parcours).count(),
        InscriptionSession.objects.filter(parcours=parcours).count(),
    )


def test_admettre(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    decision = decider(
        session, dossier, TypeDecision.ADMIS, par=commission.membre, referent=commission.referent_b
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.ADMIS
    assert dossier.referent == commission.referent_b
    assert dossier.structure_referente == commission.monde.structure("operateur", "b")
    assert (decision.type, decision.referent, decision.structure, decision.par) == (
        TypeDecision.ADMIS,
        commission.referent_b,
        dossier.structure_referente,
        commission.membre,
    )
    journal = dossier.transitions.last()
    assert (journal.transition, journal.par) == ("admettre", commission.membre)
    session.refresh_from_db()
    assert session.statut == StatutSession.TENUE


def test_admettre_avec_la_structure_choisie(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    structure = commission.monde.structure("operateur", "a")
    decision = decider(
        session,
        dossier,
        TypeDecision.ADMIS,
        par=commission.president,
        referent=commission.referent,
        structure=structure,
    )
    assert decision.structure == structure


def test_ajourner_reporte_a_la_session_suivante_du_territoire(commission):
    session = commission.session(jours=1)
    commission.session(jours=40)
    suivante = commission.session(jours=20)
    commission.session(jours=10, type=TypeCommission.SORTIE)  # n'examine pas les entrées
    dossier = commission.inscrit(session)
    decision = decider(
        session, dossier, TypeDecision.AJOURNE, par=commission.president, motif="Projet à préciser"
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.AJOURNE
    assert (decision.motif, dossier.transitions.last().motif) == ("Projet à préciser",) * 2
    report = report_de(decision)
    assert report.session == suivante
    assert report.reportee_de == session.inscriptions.get(parcours=dossier)
    assert report.objet == ObjetDossier.ENTREE
    assert report.inscrite_par == commission.president


def test_ajourner_sans_session_suivante_laisse_le_dossier_a_inscrire(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    decision = decider(
        session, dossier, TypeDecision.AJOURNE, par=commission.president, motif="À revoir"
    )
    assert report_de(decision) is None
    assert InscriptionSession.objects.filter(parcours=dossier).count() == 1


def test_decider_un_report_a_la_session_suivante(commission):
    """Un dossier reporté que personne n'a remis en commission : l'animateur peut décider
    (il le remet en commission au passage) ; un simple membre est invité à attendre l'envoi."""
    session = commission.session(jours=1)
    suivante = commission.session(jours=20)
    dossier = commission.inscrit(session)
    decider(session, dossier, TypeDecision.AJOURNE, par=commission.president, motif="À revoir")
    with pytest.raises(DonneesCommissionInvalides, match="n'a pas été remis en commission"):
        decider(suivante, dossier, TypeDecision.REFUSE, par=commission.membre, motif="Non")
    decider(
        suivante,
        dossier,
        TypeDecision.ADMIS,
        par=commission.animateur,
        referent=commission.referent,
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.ADMIS
    assert list(dossier.transitions.values_list("transition", flat=True))[-3:] == [
        "ajourner",
        "inscrire_en_commission",
        "admettre",
    ]


def test_refuser(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    decider(
        session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Relève de la ML"
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.REFUSE
    assert dossier.transitions.last().motif == "Relève de la ML"


@pytest.mark.parametrize(
    ("type_decision", "motif", "arrivee"),
    [
        (TypeDecision.SORTIE_VALIDEE, "", Statut.SORTI),
        (TypeDecision.SORTIE_REFUSEE, "Contrat trop court", Statut.EN_ACCOMPAGNEMENT),
    ],
)
def test_decisions_de_sortie(commission, type_decision, motif, arrivee):
    session = commission.session(type=TypeCommission.SORTIE)
    dossier = commission.inscrit(session, Statut.SORTIE_PROPOSEE)
    decision = decider(session, dossier, type_decision, par=commission.president, motif=motif)
    dossier.refresh_from_db()
    assert dossier.statut == arrivee
    assert decision.referent is None


# — Qui décide —

AUTORISES = ["president", "membre", "animateur", "direction"]
REFUSES = [
    "membre de commission absent de la session",
    "referent",
    "prescripteur",
    "admin",
    "animateur d'un autre PLIE",
]


def acteur(commission, qui):
    return {
        "president": lambda: commission.president,
        "membre": lambda: commission.membre,
        "animateur": lambda: commission.animateur,
        "direction": lambda: commission.direction,
        "membre de commission absent de la session": commission.autre_membre_de_commission,
        "referent": lambda: commission.referent,
        "prescripteur": lambda: commission.monde.user(Role.PRESCRIPTEUR),
        "admin": lambda: commission.monde.user(Role.ADMIN),
        "animateur d'un autre PLIE": lambda: commission.monde.user(Role.ANIMATEUR, "a", 2),
    }[qui]()


@pytest.mark.parametrize("qui", AUTORISES)
def test_qui_peut_decider(commission, qui):
    session = commission.session()
    dossier = commission.inscrit(session)
    decider(session, dossier, TypeDecision.REFUSE, par=acteur(commission, qui), motif="Non")
    dossier.refresh_from_db()
    assert dossier.statut == Statut.REFUSE


@pytest.mark.parametrize("qui", REFUSES)
def test_qui_ne_peut_pas_decider(commission, qui):
    session = commission.session()
    dossier = commission.inscrit(session)
    avant = etat(dossier)
    with pytest.raises(ActionCommissionNonAutorisee, match="Vous ne siégez pas à la Commission"):
        decider(session, dossier, TypeDecision.REFUSE, par=acteur(commission, qui), motif="Non")
    assert etat(dossier) == avant


def test_le_membre_d_une_autre_session_ne_decide_pas_ici(commission):
    autre_membre = commission.autre_membre_de_commission()
    commission.session(jours=3, membres=[autre_membre])
    session = commission.session(jours=9)
    dossier = commission.inscrit(session)
    with pytest.raises(ActionCommissionNonAutorisee):
        decider(session, dossier, TypeDecision.REFUSE, par=autre_membre, motif="Non")


# — Mauvaises saisies : message clair, rien ne change —


def test_dossier_absent_de_l_ordre_du_jour(commission):
    session = commission.session()
    commission.inscrit(session)
    ailleurs = commission.dossier(Statut.EN_COMMISSION_ENTREE)
    avant = etat(ailleurs)
    with pytest.raises(HorsOrdreDuJour) as exc:
        decider(
            session,
            ailleurs,
            TypeDecision.ADMIS,
            par=commission.president,
            referent=commission.referent,
        )
    assert str(exc.value) == (
        f"Le dossier de {ailleurs.participant} n'est pas (ou plus) à l'ordre du jour de la "
        f"{session.libelle} : rien n'a été enregistré."
    )
    assert etat(ailleurs) == avant
    assert not session.decisions.exists()
    session.refresh_from_db()
    assert session.statut == StatutSession.PLANIFIEE


def test_dossier_retire_de_l_ordre_du_jour(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    retirer_de_l_ordre_du_jour(session, dossier, par=commission.animateur)
    avant = etat(dossier)
    with pytest.raises(HorsOrdreDuJour, match="n'est pas \\(ou plus\\) à l'ordre du jour"):
        decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    assert etat(dossier) == avant


def test_decider_deux_fois(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    premiere = decider(
        session, dossier, TypeDecision.ADMIS, par=commission.membre, referent=commission.referent
    )
    avant = etat(dossier)
    with pytest.raises(DejaDecide) as exc:
        decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    le = premiere.le_local
    assert str(exc.value) == (
        f"Ce dossier a déjà été décidé par {commission.membre} le "
        f"{le:%d/%m/%Y} à {le:%H:%M} : « Admis »."
    )
    assert etat(dossier) == avant
    with pytest.raises(DejaDecide, match="ne peut plus être retiré de l'ordre du jour"):
        retirer_de_l_ordre_du_jour(session, dossier, par=commission.animateur)


def test_dossier_decide_ailleurs_n_est_plus_en_attente(commission):
    premiere = commission.session(jours=2)
    seconde = commission.session(jours=5)
    dossier = commission.inscrit(premiere)
    # Inscrit aussi à la seconde (une inscription posée directement, hors service).
    InscriptionSession.objects.create(session=seconde, parcours=dossier, objet="entree", ordre=1)
    decider(premiere, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    avant = etat(dossier)
    with pytest.raises(HorsOrdreDuJour, match="n'est plus en attente de décision \\(état « Refusé"):
        decider(
            seconde,
            dossier,
            TypeDecision.ADMIS,
            par=commission.president,
            referent=commission.referent,
        )
    assert etat(dossier) == avant


@pytest.mark.parametrize(
    ("type_decision", "arguments", "message"),
    [
        (
            TypeDecision.AJOURNE,
            {"motif": "   "},
            "Un motif est obligatoire pour la décision « Ajourné »",
        ),
        (TypeDecision.REFUSE, {}, "Un motif est obligatoire pour la décision « Refusé »"),
        (TypeDecision.ADMIS, {}, "Choisissez le référent de parcours désigné"),
        (TypeDecision.REFUSE, {"motif": "Non", "referent": "referent"}, "Seule une admission"),
        (
            TypeDecision.SORTIE_VALIDEE,
            {},
            "présenté pour une entrée : la décision « Sortie validée »",
        ),
        ("peut_etre", {}, "Décision inconnue : « peut_etre »"),
        (TypeDecision.ADMIS, {"referent": "prescripteur"}, None),
        (
            TypeDecision.ADMIS,
            {"referent": "referent", "structure": "b"},
            "n'est pas référent de parcours en activité dans la structure",
        ),
    ],
)
def test_saisies_invalides(commission, type_decision, arguments, message):
    session = commission.session()
    dossier = commission.inscrit(session)
    arguments = dict(arguments)
    if "referent" in arguments:
        arguments["referent"] = commission.monde.user(Role(arguments["referent"]))
    if "structure" in arguments:
        arguments["structure"] = commission.monde.structure("operateur", arguments["structure"])
    avant = etat(dossier)
    if message is None:  # refus de la transition elle-même (parcours.admettre)
        with pytest.raises(DonneesTransitionInvalides, match="n'est pas référent de parcours"):
            decider(session, dossier, type_decision, par=commission.president, **arguments)
    else:
        with pytest.raises(DonneesCommissionInvalides, match=message):
            decider(session, dossier, type_decision, par=commission.president, **arguments)
    assert etat(dossier) == avant
    assert not session.decisions.exists()


def test_session_cloturee(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    SessionCommission.objects.filter(pk=session.pk).update(
        statut=StatutSession.CLOTUREE, cloturee_le=session.date, proces_verbal="pv.pdf"
    )
    avant = etat(dossier)
    with pytest.raises(SessionClose, match="est clôturée depuis le"):
        decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    assert etat(dossier) == avant
