"""Inscrire les dossiers, construire et envoyer l'ordre du jour."""

import pytest
from django.core import mail

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import ObjetDossier, StatutSession, TypeCommission, TypeDecision
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
    AucuneSessionPlanifiee,
    DonneesCommissionInvalides,
    HorsOrdreDuJour,
    SessionClose,
)
from parcours.commissions.models import InscriptionSession, SessionCommission
from parcours.commissions.services import (
    construire_ordre_du_jour,
    decider,
    dossiers_a_inscrire,
    envoyer_ordre_du_jour,
    inscrire_a_la_prochaine_session,
    inscrire_a_la_session,
    lignes_de_session,
    prochaine_session,
    retirer_de_l_ordre_du_jour,
)
from parcours.core.enums import Role
from parcours.courriels.models import Courriel
from tests.commissions.conftest import NOM_COMMISSION

pytestmark = pytest.mark.django_db


# — La prochaine session —


def test_prochaine_session_du_territoire_du_dossier(commission):
    loin = commission.session(plie=2, jours=20)
    commission.session(plie=2, jours=5, territoire=commission.territoire2b)
    proche = commission.session(plie=2, jours=10)
    dossier = commission.dossier(plie=2)
    assert dossier.territoire == commission.monde.territoire2
    assert prochaine_session(dossier) == proche
    assert prochaine_session(dossier, apres=proche.date) == loin


def test_prochaine_session_selon_le_type_et_l_etat(commission):
    sortie = commission.session(jours=3, type=TypeCommission.SORTIE)
    entree = commission.session(jours=6)
    mixte = commission.session(jours=1, type=TypeCommission.MIXTE)
    assert prochaine_session(commission.dossier()) == mixte
    # Ordre du jour déjà envoyé ou session passée : on passe à la suivante.
    SessionCommission.objects.filter(pk=mixte.pk).update(statut=StatutSession.ORDRE_DU_JOUR_ENVOYE)
    assert prochaine_session(commission.dossier()) == entree
    SessionCommission.objects.filter(pk=mixte.pk).update(statut=StatutSession.PLANIFIEE)
    assert prochaine_session(commission.dossier(Statut.SORTIE_PROPOSEE)) == mixte
    SessionCommission.objects.filter(pk=mixte.pk).delete()
    assert prochaine_session(commission.dossier(Statut.SORTIE_PROPOSEE)) == sortie


def test_aucune_session_d_un_autre_plie(commission):
    commission.session(plie=2)
    assert prochaine_session(commission.dossier()) is None


# — Inscrire —


def test_inscrire_a_la_prochaine_session(commission):
    session = commission.session()
    dossier = commission.dossier(Statut.RECEVABLE)
    inscription = inscrire_a_la_prochaine_session(dossier, par=commission.animateur)
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_COMMISSION_ENTREE
    derniere = dossier.transitions.last()
    assert (derniere.transition, derniere.par) == ("inscrire_en_commission", commission.animateur)
    assert (inscription.session, inscription.parcours, inscription.ordre) == (session, dossier, 1)
    assert inscription.objet == ObjetDossier.ENTREE
    assert inscription.inscrite_par == commission.animateur
    deuxieme = inscrire_a_la_prochaine_session(commission.dossier(), par=commission.animateur)
    assert deuxieme.ordre == 2


def test_un_dossier_ajourne_se_reinscrit(commission):
    commission.session()
    dossier = commission.dossier(Statut.AJOURNE)
    inscrire_a_la_prochaine_session(dossier, par=commission.animateur)
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_COMMISSION_ENTREE


def test_sans_session_planifiee_message_clair_et_rien_ne_change(commission):
    commission.session(type=TypeCommission.SORTIE)
    dossier = commission.dossier(Statut.RECEVABLE)
    avant = dossier.transitions.count()
    with pytest.raises(AucuneSessionPlanifiee) as exc:
        inscrire_a_la_prochaine_session(dossier, par=commission.animateur)
    assert str(exc.value) == (
        f"Aucune commission d'entrée n'est planifiée pour le territoire « {dossier.territoire} » "
        "du PLIE Test Agenais : planifiez une session avant d'y inscrire ce dossier."
    )
    dossier.refresh_from_db()
    assert dossier.statut == Statut.RECEVABLE
    assert dossier.transitions.count() == avant
    assert not InscriptionSession.objects.exists()


@pytest.mark.parametrize(
    ("statut", "message"),
    [
        (Statut.PRESCRIT, "est à l'état « Prescrit » : il n'a pas à passer en commission"),
        (Statut.ADMIS, "est à l'état « Admis » : il n'a pas à passer en commission"),
        (Statut.SORTIE_PROPOSEE, "Une commission d'entrée n'examine pas les sorties"),
    ],
)
def test_dossier_qui_n_a_pas_a_passer_en_commission(commission, statut, message):
    session = commission.session()
    dossier = commission.dossier(statut)
    with pytest.raises(DonneesCommissionInvalides, match=message):
        inscrire_a_la_session(session, dossier, par=commission.animateur)
    dossier.refresh_from_db()
    assert dossier.statut == statut
    assert not session.inscriptions.exists()


def test_une_sortie_proposee_s_inscrit_sans_transition(commission):
    session = commission.session(type=TypeCommission.SORTIE)
    dossier = commission.dossier(Statut.SORTIE_PROPOSEE)
    avant = dossier.transitions.count()
    inscription = inscrire_a_la_prochaine_session(dossier, par=commission.animateur)
    dossier.refresh_from_db()
    assert inscription.session == session
    assert inscription.objet == ObjetDossier.SORTIE
    assert dossier.statut == Statut.SORTIE_PROPOSEE
    assert dossier.transitions.count() == avant


def test_pas_deux_fois_a_l_ordre_du_jour(commission):
    session = commission.session()
    suivante = commission.session(jours=30)
    dossier = commission.inscrit(session)
    with pytest.raises(DonneesCommissionInvalides, match="déjà à l'ordre du jour de cette session"):
        inscrire_a_la_session(session, dossier, par=commission.animateur)
    with pytest.raises(DonneesCommissionInvalides, match="retirez-l'en d'abord"):
        inscrire_a_la_session(suivante, dossier, par=commission.animateur)
    assert InscriptionSession.objects.filter(parcours=dossier).count() == 1


def test_dossier_d_un_autre_territoire(commission):
    session = commission.session(plie=2, territoire=commission.territoire2b)
    dossier = commission.dossier(plie=2)
    with pytest.raises(DonneesCommissionInvalides, match="cette session est celle du territoire"):
        inscrire_a_la_session(session, dossier, par=commission.monde.user(Role.ANIMATEUR, "a", 2))


@pytest.mark.parametrize("role", [Role.COMMISSION, Role.REFERENT, Role.PRESCRIPTEUR, Role.ADMIN])
def test_seule_l_animation_inscrit(commission, role):
    commission.session()
    dossier = commission.dossier()
    with pytest.raises(ActionCommissionNonAutorisee):
        inscrire_a_la_prochaine_session(dossier, par=commission.monde.user(role))
    dossier.refresh_from_db()
    assert dossier.statut == Statut.RECEVABLE


def test_session_tenue_n_accepte_plus_d_inscription(commission):
    session = commission.session()
    SessionCommission.objects.filter(pk=session.pk).update(statut=StatutSession.TENUE)
    with pytest.raises(SessionClose, match="on n'y inscrit plus de dossier"):
        inscrire_a_la_session(session, commission.dossier(), par=commission.animateur)


def test_retirer_de_l_ordre_du_jour(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    retirer_de_l_ordre_du_jour(session, dossier, par=commission.animateur)
    assert not session.inscriptions.exists()
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_COMMISSION_ENTREE
    assert list(dossiers_a_inscrire(commission.monde.plie1)) == [dossier]
    # Il peut être inscrit ailleurs, sans nouvelle transition.
    suivante = commission.session(jours=20)
    inscrire_a_la_session(suivante, dossier, par=commission.animateur)
    assert list(dossiers_a_inscrire(commission.monde.plie1)) == []
    with pytest.raises(HorsOrdreDuJour, match="n'est pas \\(ou plus\\) à l'ordre du jour"):
        retirer_de_l_ordre_du_jour(session, dossier, par=commission.animateur)


# — Construire l'ordre du jour —


def test_ordre_du_jour_reports_puis_entrees_puis_sorties(commission):
    precedente = commission.session(jours=2, type=TypeCommission.MIXTE)
    session = commission.session(jours=9, type=TypeCommission.MIXTE)
    sortie = commission.inscrit(session, Statut.SORTIE_PROPOSEE)
    entree_1 = commission.inscrit(session)
    reporte = commission.inscrit(precedente)
    entree_2 = commission.inscrit(session)
    decide = commission.inscrit(session)
    decider(
        precedente,
        reporte,
        TypeDecision.AJOURNE,
        par=commission.president,
        motif="Projet à préciser",
    )
    decider(session, decide, TypeDecision.REFUSE, par=commission.president, motif="Hors critères")

    ordre = list(construire_ordre_du_jour(session))
    assert [i.parcours for i in ordre] == [reporte, entree_1, entree_2, sortie]
    assert ordre[0].reportee_de.session == precedente
    # Toutes les lignes, avec leur décision, dans le même ordre de passage.
    lignes = lignes_de_session(session)
    assert [ligne.parcours for ligne in lignes] == [reporte, entree_1, entree_2, decide, sortie]
    assert [ligne.decision.type if ligne.decision else None for ligne in lignes] == [
        None,
        None,
        None,
        TypeDecision.REFUSE,
        None,
    ]


def test_lignes_de_session_en_nombre_constant_de_requetes(commission, django_assert_num_queries):
    session = commission.session()
    for _ in range(3):
        commission.inscrit(session)
    with django_assert_num_queries(2):
        lignes = lignes_de_session(session)
        [str(ligne.parcours.participant) + str(ligne.parcours.prescripteur) for ligne in lignes]


# — Envoyer l'ordre du jour —


def test_envoyer_l_ordre_du_jour(commission):
    session = commission.session()
    a = commission.inscrit(session, structure="a")
    b = commission.inscrit(session, structure="b")
    mail.outbox.clear()
    courriels = envoyer_ordre_du_jour(session, par=commission.animateur)

    session.refresh_from_db()
    assert session.statut == StatutSession.ORDRE_DU_JOUR_ENVOYE
    assert session.ordre_du_jour_envoye_le is not None
    assert len(courriels) == 3 and len(mail.outbox) == 3
    aux_membres, *aux_prescripteurs = mail.outbox
    assert sorted(aux_membres.to) == sorted([commission.membre.email, commission.president.email])
    assert aux_membres.subject.startswith(f"Ordre du jour — {NOM_COMMISSION} du ")
    for dossier in (a, b):
        assert f"— entrée — prescrit par {dossier.structure_prescriptrice}" in aux_membres.body
    # Chaque prescripteur n'apprend que l'examen de son propre dossier.
    for message, dossier in zip(aux_prescripteurs, (a, b), strict=True):
        assert message.to == [dossier.prescripteur.email]
        assert str(dossier.participant) in message.subject
        autre = b if dossier == a else a
        assert str(autre.participant) not in message.body
        assert "Salle du conseil" in message.body
    # Gardés dans l'application : ceux des prescripteurs, dans leur dossier.
    assert Courriel.objects.filter(parcours=a).count() == 1
    assert Courriel.objects.filter(parcours=b).count() == 1
    assert Courriel.objects.filter(parcours__isnull=True, sujet=aux_membres.subject).exists()


def test_renvoi_n_annonce_que_les_nouveaux_dossiers(commission):
    session = commission.session()
    commission.inscrit(session)
    envoyer_ordre_du_jour(session, par=commission.animateur)
    nouveau = commission.inscrit(session)
    mail.outbox.clear()
    envoyer_ordre_du_jour(session, par=commission.animateur)
    aux_membres, au_prescripteur = mail.outbox
    assert aux_membres.subject.startswith("Ordre du jour mis à jour")
    assert "Dossiers à examiner (2)" in aux_membres.body
    assert au_prescripteur.to == [nouveau.prescripteur.email]


def test_les_reports_reviennent_en_commission_a_l_envoi(commission):
    precedente = commission.session(jours=1)
    session = commission.session(jours=15)
    dossier = commission.inscrit(precedente)
    decider(precedente, dossier, TypeDecision.AJOURNE, par=commission.membre, motif="À préciser")
    dossier.refresh_from_db()
    assert dossier.statut == Statut.AJOURNE
    envoyer_ordre_du_jour(session, par=commission.animateur)
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_COMMISSION_ENTREE
    derniere = dossier.transitions.last()
    assert (derniere.transition, derniere.par) == ("inscrire_en_commission", commission.animateur)
    assert derniere.motif == f"Reporté à la {session.libelle}"


@pytest.mark.parametrize(
    ("preparer", "exception", "message"),
    [
        ("vide", DonneesCommissionInvalides, "L'ordre du jour est vide"),
        ("sans_membres", DonneesCommissionInvalides, "Composez la session"),
        ("tenue", SessionClose, "son ordre du jour ne s'envoie plus"),
    ],
)
def test_envoi_impossible(commission, preparer, exception, message):
    session = commission.session(
        **({"membres": [], "president": None} if preparer == "sans_membres" else {})
    )
    if preparer != "vide":
        commission.inscrit(session)
    if preparer == "tenue":
        SessionCommission.objects.filter(pk=session.pk).update(statut=StatutSession.TENUE)
    mail.outbox.clear()
    with pytest.raises(exception, match=message):
        envoyer_ordre_du_jour(session, par=commission.animateur)
    assert mail.outbox == []
    assert not Courriel.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMISSION, Role.REFERENT, Role.PRESCRIPTEUR])
def test_seule_l_animation_envoie_l_ordre_du_jour(commission, role):
    session = commission.session()
    commission.inscrit(session)
    with pytest.raises(ActionCommissionNonAutorisee):
        envoyer_ordre_du_jour(session, par=commission.monde.user(role))
    session.refresh_from_db()
    assert session.statut == StatutSession.PLANIFIEE
