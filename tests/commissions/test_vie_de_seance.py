"""La vie d'une séance : planifiée → ordre du jour envoyé → en cours → tenue → clôturée, chaque
passage journalisé ; décisions à partir du jour de la séance (sauf entrée anticipée du
référentiel) ; candidats du type de la séance ; dossiers en attente placés sur la séance créée ;
décision postée deux fois ou sur une séance close : message clair, rien changé."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.commissions.enums import StatutSession, TypeCommission, TypeDecision
from parcours.commissions.errors import (
    DejaDecide,
    DonneesCommissionInvalides,
    SessionClose,
)
from parcours.commissions.models import Decision, SessionCommission
from parcours.commissions.services import (
    cloturer_session,
    comptes_a_placer,
    decider,
    dossiers_a_inscrire,
    envoyer_ordre_du_jour,
    planifier_calendrier,
    retirer_de_l_ordre_du_jour,
)
from tests.commissions.conftest import dans

pytestmark = pytest.mark.django_db


def _journal(session):
    return list(session.transitions.values_list("transition", "source", "target", "par"))


def test_une_seance_de_bout_en_bout_journalisee(commission):
    session = commission.session()
    a, b = commission.inscrit(session), commission.inscrit(session)
    envoyer_ordre_du_jour(session, par=commission.animateur)
    session.refresh_from_db()
    assert session.statut == StatutSession.ORDRE_DU_JOUR_ENVOYE
    decider(session, a, TypeDecision.REFUSE, par=commission.president, motif="Non")
    session.refresh_from_db()
    assert session.statut == StatutSession.EN_COURS
    decider(session, b, TypeDecision.AJOURNE, par=commission.membre, motif="À revoir")
    session.refresh_from_db()
    assert session.statut == StatutSession.TENUE
    cloturer_session(session, par=commission.animateur)
    session.refresh_from_db()
    assert session.statut == StatutSession.CLOTUREE
    S = StatutSession
    assert _journal(session) == [
        ("envoyer_ordre_du_jour", S.PLANIFIEE, S.ORDRE_DU_JOUR_ENVOYE, commission.animateur.pk),
        ("ouvrir", S.ORDRE_DU_JOUR_ENVOYE, S.EN_COURS, commission.president.pk),
        ("terminer", S.EN_COURS, S.TENUE, commission.membre.pk),
        ("cloturer", S.TENUE, S.CLOTUREE, commission.animateur.pk),
    ]
    assert str(session.transitions.last()) == "Clôturer la séance (Tenue (à clôturer) → Clôturée)"


def test_retirer_le_dernier_dossier_non_decide_rend_la_seance_tenue(commission):
    session = commission.session()
    decide, retire = commission.inscrit(session), commission.inscrit(session)
    decider(session, decide, TypeDecision.REFUSE, par=commission.president, motif="Non")
    retirer_de_l_ordre_du_jour(session, retire, par=commission.animateur)
    session.refresh_from_db()
    assert session.statut == StatutSession.TENUE
    assert _journal(session)[-1][:3] == ("terminer", StatutSession.EN_COURS, StatutSession.TENUE)
    retire.refresh_from_db()
    assert retire.statut == Statut.EN_COMMISSION_ENTREE  # il attend une autre séance


@pytest.mark.parametrize("statut", [StatutSession.TENUE, StatutSession.CLOTUREE])
def test_plus_de_retrait_quand_l_ordre_du_jour_est_fige(commission, statut):
    session = commission.session()
    dossier = commission.inscrit(session)
    SessionCommission.objects.filter(pk=session.pk).update(
        statut=statut, cloturee_le=timezone.now(), proces_verbal="proces-verbal/pv.pdf"
    )
    with pytest.raises(SessionClose, match="figé"):
        retirer_de_l_ordre_du_jour(session, dossier, par=commission.animateur)
    assert session.inscriptions.filter(parcours=dossier).exists()


# — Quand décider —


def test_pas_de_decision_avant_le_jour_de_la_seance(commission):
    commission.sans_decision_anticipee()
    session = commission.session(jours=3)
    dossier = commission.inscrit(session)
    jour = session.date_locale.strftime("%d/%m/%Y")
    with pytest.raises(DonneesCommissionInvalides) as exc:
        decider(
            session,
            dossier,
            TypeDecision.ADMIS,
            par=commission.president,
            referent=commission.referent,
        )
    assert str(exc.value) == (
        f"La séance du {jour} n'a pas encore eu lieu : ses décisions s'enregistrent à partir du "
        f"{jour}. Rien n'a été enregistré."
    )
    dossier.refresh_from_db()
    session.refresh_from_db()
    assert dossier.statut == Statut.EN_COMMISSION_ENTREE
    assert session.statut == StatutSession.PLANIFIEE
    assert not Decision.objects.exists()
    assert not session.transitions.exists()


@pytest.mark.parametrize("decalage", [datetime.timedelta(0), datetime.timedelta(days=-2)])
def test_decision_le_jour_de_la_seance_et_apres(commission, decalage):
    commission.sans_decision_anticipee()
    session = commission.session(jours=3)
    dossier = commission.inscrit(session)
    # Le jour venu (même avant l'heure), ou la séance passée.
    jour = timezone.localdate() + decalage
    quand = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(23, 59)))
    SessionCommission.objects.filter(pk=session.pk).update(date=quand)
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    assert Decision.objects.get().type == TypeDecision.REFUSE


def test_le_referentiel_peut_permettre_de_decider_avant(commission):
    session = commission.session(jours=20)  # le référentiel de test le permet
    dossier = commission.inscrit(session)
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    session.refresh_from_db()
    assert session.statut == StatutSession.TENUE


# — Décision postée deux fois, sur une séance close —


def test_decision_postee_deux_fois(commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    commission.inscrit(session)  # la séance reste en cours
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    with pytest.raises(DejaDecide) as exc:
        decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    assert str(exc.value).startswith(f"Ce dossier a déjà été décidé par {commission.president} le ")
    assert str(exc.value).endswith(": « Refusé ».")
    assert Decision.objects.count() == 1
    assert dossier.transitions.filter(transition="refuser").count() == 1
    assert session.transitions.count() == 1  # ouvrir, une seule fois


def test_decision_sur_une_seance_close(commission):
    session = commission.session()
    decide = commission.inscrit(session)
    decider(session, decide, TypeDecision.REFUSE, par=commission.president, motif="Non")
    cloturer_session(session, par=commission.animateur)
    mail.outbox.clear()
    with pytest.raises(
        SessionClose, match=r"est clôturée depuis le .* : ses décisions sont arrêtées"
    ):
        decider(
            session,
            decide,
            TypeDecision.ADMIS,
            par=commission.president,
            referent=commission.referent,
        )
    assert Decision.objects.count() == 1
    assert mail.outbox == []


def test_cloture_sans_present_refusee(commission):
    session = commission.session()
    decide = commission.inscrit(session)
    decider(session, decide, TypeDecision.REFUSE, par=commission.president, motif="Non")
    with pytest.raises(DonneesCommissionInvalides, match="Cochez au moins un membre présent"):
        cloturer_session(session, par=commission.animateur, presents=[])
    session.refresh_from_db()
    assert session.statut == StatutSession.TENUE


# — Candidats du type de la séance ; dossiers en attente placés sur la séance créée —


def test_seuls_les_dossiers_du_type_de_la_seance_sont_candidats(commission):
    entree = commission.session(type=TypeCommission.ENTREE)
    sortie = commission.session(jours=8, type=TypeCommission.SORTIE)
    mixte = commission.session(jours=9, type=TypeCommission.MIXTE)
    for session in (entree, sortie, mixte):
        session.inscriptions.all().delete()  # repartir d'un ordre du jour vide
    recevable = commission.dossier(Statut.RECEVABLE)
    sortie_proposee = commission.dossier(Statut.SORTIE_PROPOSEE)
    assert set(dossiers_a_inscrire(entree.plie, entree)) == {recevable}
    assert set(dossiers_a_inscrire(sortie.plie, sortie)) == {sortie_proposee}
    assert set(dossiers_a_inscrire(mixte.plie, mixte)) == {recevable, sortie_proposee}


def test_candidats_du_territoire_de_la_seance(commission):
    monde = commission.monde
    session = commission.session(plie=2)
    ici = commission.dossier(Statut.RECEVABLE, plie=2)
    ailleurs = commission.dossier(Statut.RECEVABLE, plie=2)
    Parcours.objects.filter(pk=ailleurs.pk).update(territoire=commission.territoire2b)
    assert ici.territoire == monde.territoire2 == session.territoire
    assert list(dossiers_a_inscrire(session.plie, session)) == [ici]


def test_un_recevable_sans_seance_est_place_sur_la_prochaine_seance_creee(commission):
    recevable = commission.dossier(Statut.RECEVABLE)
    sortie_proposee = commission.dossier(Statut.SORTIE_PROPOSEE)
    retire = commission.dossier(Statut.EN_COMMISSION_ENTREE)  # retiré : attend l'animation
    assert comptes_a_placer([commission.monde.plie1]) == {
        commission.monde.plie1.pk: {"entree": 2, "sortie": 1}
    }
    session = commission.session(type=TypeCommission.ENTREE)
    assert list(session.inscriptions.values_list("parcours", flat=True)) == [recevable.pk]
    recevable.refresh_from_db()
    assert recevable.statut == Statut.EN_COMMISSION_ENTREE
    sortie = commission.session(jours=8, type=TypeCommission.SORTIE)
    assert list(sortie.inscriptions.values_list("parcours", flat=True)) == [sortie_proposee.pk]
    assert comptes_a_placer([commission.monde.plie1]) == {
        commission.monde.plie1.pk: {"entree": 1, "sortie": 0}
    }
    assert list(dossiers_a_inscrire(commission.monde.plie1)) == [retire]


def test_le_calendrier_place_les_dossiers_sur_la_premiere_seance(commission):
    recevable = commission.dossier(Statut.RECEVABLE)
    creees = planifier_calendrier(
        commission.monde.plie1, dans(1).date(), par=commission.animateur, mois=3
    )
    assert len(creees) > 1
    premiere = min(creees, key=lambda s: s.date)
    assert list(premiere.inscriptions.values_list("parcours", flat=True)) == [recevable.pk]
    assert sum(s.inscriptions.count() for s in creees) == 1


def test_comptes_a_placer_en_une_requete(commission, django_assert_num_queries):
    for _ in range(3):
        commission.dossier(Statut.RECEVABLE)
    with django_assert_num_queries(1):
        comptes = comptes_a_placer([commission.monde.plie1, commission.monde.plie2])
    assert comptes == {commission.monde.plie1.pk: {"entree": 3, "sortie": 0}}


def test_migration_des_seances_tenues(commission):
    """L'ancien « tenue » voulait dire « décisions en cours » : la migration 0004 fait passer en
    cours la séance qui a encore un dossier sans décision, et laisse tenue celle qui est toute
    décidée."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "parcours.commissions.migrations.0004_seance_en_machine_a_etats"
    )
    en_cours, decidee = commission.session(), commission.session(jours=8)
    a = commission.inscrit(en_cours)
    commission.inscrit(en_cours)  # resté sans décision
    c = commission.inscrit(decidee)
    decider(en_cours, a, TypeDecision.REFUSE, par=commission.president, motif="Non")
    decider(decidee, c, TypeDecision.REFUSE, par=commission.president, motif="Non")
    SessionCommission.objects.filter(pk__in=[en_cours.pk, decidee.pk]).update(statut="tenue")
    migration.tenue_devient_en_cours(apps, None)
    assert dict(SessionCommission.objects.values_list("pk", "statut")) == {
        en_cours.pk: StatutSession.EN_COURS,
        decidee.pk: StatutSession.TENUE,
    }
    migration.en_cours_redevient_tenue(apps, None)
    assert set(SessionCommission.objects.values_list("statut", flat=True)) == {"tenue"}
