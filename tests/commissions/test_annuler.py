"""Annuler une séance, ou la déclarer non tenue : motif journalisé, créneau libéré, dossiers
repartis sur la séance suivante ou « à placer » ; l'écran de confirmation et ses refus."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import StatutSession, TypeCommission, TypeDecision
from parcours.commissions.errors import (
    ActionCommissionNonAutorisee,
    DonneesCommissionInvalides,
    SessionClose,
)
from parcours.commissions.models import InscriptionSession, SessionCommission
from parcours.commissions.services import (
    annuler_session,
    comptes_a_placer,
    decider,
    dossiers_a_inscrire,
    envoyer_ordre_du_jour,
    planifier_session,
    seances_passees_non_tenues,
)
from parcours.core.enums import Role
from tests.commissions.conftest import dans

pytestmark = pytest.mark.django_db


def _dans_le_passe(session, jours=2):
    SessionCommission.objects.filter(pk=session.pk).update(
        date=timezone.now() - datetime.timedelta(days=jours)
    )
    session.refresh_from_db()
    return session


@pytest.mark.parametrize("ordre_du_jour_envoye", [False, True])
def test_annuler_repart_les_dossiers_sur_la_seance_suivante(commission, ordre_du_jour_envoye):
    session = commission.session(jours=3)
    a, b = commission.inscrit(session), commission.inscrit(session)
    suivante = commission.session(jours=20)
    if ordre_du_jour_envoye:
        envoyer_ordre_du_jour(session, par=commission.animateur)
    annulation = annuler_session(session, par=commission.animateur, motif="Quorum non atteint")
    session.refresh_from_db()
    assert session.statut == StatutSession.ANNULEE
    (ligne,) = session.transitions.filter(transition="annuler")
    assert (ligne.target, ligne.par, ligne.motif) == (
        StatutSession.ANNULEE,
        commission.animateur,
        "Quorum non atteint",
    )
    assert {i.parcours_id for i in annulation.replaces} == {a.pk, b.pk}
    assert set(suivante.inscriptions.values_list("parcours_id", flat=True)) == {a.pk, b.pk}
    assert annulation.a_placer == []
    # L'historique de la séance annulée reste (qui était à son ordre du jour).
    assert session.inscriptions.count() == 2


def test_sans_seance_suivante_les_dossiers_sont_a_placer(commission, monde):
    session = commission.session(jours=3)
    a = commission.inscrit(session)
    assert comptes_a_placer([monde.plie1.pk]).get(monde.plie1.pk, {}).get("entree", 0) == 0
    annulation = annuler_session(session, par=commission.direction, motif="Salle indisponible")
    assert [p.pk for p in annulation.a_placer] == [a.pk]
    assert comptes_a_placer([monde.plie1.pk])[monde.plie1.pk]["entree"] == 1
    assert a.pk in set(dossiers_a_inscrire(monde.plie1).values_list("pk", flat=True))
    # Une séance annulée libère son créneau : on en replanifie une au même moment.
    autre = planifier_session(
        plie=monde.plie1,
        type=TypeCommission.ENTREE,
        date=session.date,
        par=commission.animateur,
        lieu="Autre salle",
    )
    assert autre.pk != session.pk


def test_motif_obligatoire_et_rien_ne_change(commission):
    session = commission.session()
    commission.inscrit(session)
    with pytest.raises(DonneesCommissionInvalides, match="motif"):
        annuler_session(session, par=commission.animateur, motif="   ")
    session.refresh_from_db()
    assert session.statut == StatutSession.PLANIFIEE
    assert not session.transitions.exists()


def test_une_seance_ou_l_on_a_decide_ne_s_annule_plus(commission):
    session = commission.session()
    a = commission.inscrit(session)
    commission.inscrit(session)
    decider(session, a, TypeDecision.REFUSE, par=commission.president, motif="Non")
    with pytest.raises(SessionClose, match="ne peut plus être annulée"):
        annuler_session(session, par=commission.animateur, motif="Erreur")
    session.refresh_from_db()
    assert session.statut == StatutSession.EN_COURS


@pytest.mark.parametrize("role", [Role.COMMISSION, Role.REFERENT, Role.PRESCRIPTEUR])
def test_seules_l_animation_et_la_direction_annulent(commission, monde, role):
    session = commission.session()
    with pytest.raises(ActionCommissionNonAutorisee):
        annuler_session(session, par=monde.user(role), motif="Non")
    session.refresh_from_db()
    assert session.statut == StatutSession.PLANIFIEE


def test_seances_passees_sans_decision_signalees(commission, monde, client):
    passee = _dans_le_passe(commission.session(jours=3))
    commission.session(jours=10)  # à venir : pas signalée
    assert list(seances_passees_non_tenues([monde.plie1.pk])) == [passee]
    client.force_login(commission.animateur)
    page = client.get(reverse("commissions:index")).content.decode()
    assert "Séances passées sans décision" in page
    assert reverse("commissions:annuler", args=[passee.pk]) in page


# — L'écran —


def test_ecran_confirmer_puis_annuler(commission, client):
    session = commission.session(jours=3)
    a = commission.inscrit(session)
    suivante = commission.session(jours=20)
    client.force_login(commission.animateur)
    detail = client.get(reverse("commissions:detail", args=[session.pk])).content.decode()
    url = reverse("commissions:annuler", args=[session.pk])
    assert url in detail and "Annuler la séance…" in detail
    confirmation = client.get(url).content.decode()
    assert str(a.participant) in confirmation
    assert (
        f"inscrit·e à la séance du {timezone.localtime(suivante.date):%d/%m/%Y à %H:%M}"
        in confirmation
    )
    # Sans motif : le formulaire revient avec un message, rien n'est changé.
    reponse = client.post(url, {"motif": ""})
    assert reponse.status_code == 200
    assert "Indiquez le motif de l&#x27;annulation" in reponse.content.decode()
    session.refresh_from_db()
    assert session.statut == StatutSession.PLANIFIEE
    reponse = client.post(url, {"motif": "Quorum non atteint"}, follow=True)
    page = reponse.content.decode()
    assert "Séance annulée. 1 dossier(s) inscrit(s) à la séance suivante." in page
    assert "Quorum non atteint" in page and 'id="seance-annulee"' in page
    assert "Annuler la séance…" not in page
    assert InscriptionSession.objects.filter(session=suivante, parcours=a).exists()
    # Annulée : l'écran n'existe plus pour elle.
    assert client.get(url).status_code == 404


def test_une_seance_passee_se_declare_non_tenue(commission, client):
    session = _dans_le_passe(commission.session(jours=3))
    client.force_login(commission.animateur)
    detail = client.get(reverse("commissions:detail", args=[session.pk])).content.decode()
    assert "Déclarer la séance non tenue…" in detail
    page = client.get(reverse("commissions:annuler", args=[session.pk])).content.decode()
    assert "<title>Déclarer la séance non tenue" in page


@pytest.mark.parametrize(
    "qui",
    ["animateur du PLIE voisin", "président de la séance", "référent", "prescripteur"],
)
def test_l_ecran_d_annulation_repond_404_hors_droit(commission, monde, client, qui):
    session = commission.session()
    user = {
        "animateur du PLIE voisin": monde.user(Role.ANIMATEUR, plie=2),
        "président de la séance": commission.president,
        "référent": monde.user(Role.REFERENT),
        "prescripteur": monde.user(Role.PRESCRIPTEUR),
    }[qui]
    client.force_login(user)
    url = reverse("commissions:annuler", args=[session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"motif": "x"}).status_code == 404
    session.refresh_from_db()
    assert session.statut == StatutSession.PLANIFIEE


def test_l_ecran_d_annulation_repond_404_une_fois_la_seance_ouverte(commission, client):
    session = commission.session()
    a = commission.inscrit(session)
    decider(session, a, TypeDecision.REFUSE, par=commission.president, motif="Non")
    client.force_login(commission.animateur)
    assert client.get(reverse("commissions:annuler", args=[session.pk])).status_code == 404


def test_statut_inconnu_des_dossiers_inchange(commission):
    session = commission.session()
    a = commission.inscrit(session)
    annuler_session(session, par=commission.animateur, motif="Reportée")
    a.refresh_from_db()
    assert a.statut == Statut.EN_COMMISSION_ENTREE
    assert dans(1) > timezone.now()
