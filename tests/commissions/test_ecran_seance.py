"""L'écran de séance suit l'état de la séance (aucune action affichée qui serait refusée), la
ligne de décision garde ce qui a été saisi après une erreur, présélectionne le référent suggéré
et résume le dossier ; les écrans de clôture (présents cochés, dossiers sans décision) et de
retrait ; chaque adresse répond 404 hors périmètre."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement.enums import Statut
from parcours.commissions.enums import StatutSession, TypeCommission, TypeDecision
from parcours.commissions.models import Decision, SessionCommission
from parcours.commissions.services import decider
from parcours.core.enums import Role
from parcours.participants.models import Participant
from tests.documents.outils import telecharger

pytestmark = pytest.mark.django_db


def _url(session, nom="detail", *args):
    return reverse(f"commissions:{nom}", args=[session.pk, *args])


def _page(client, user, session):
    client.force_login(user)
    response = client.get(_url(session))
    assert response.status_code == 200
    return response.content.decode()


INSCRIRE = "Inscrire à cette séance"
ENVOYER = "Envoyer l'ordre du jour"
CLOTURER = "Clôturer la séance…"
RETIRER = "Retirer de l'ordre du jour…"
ENREGISTRER = 'value="decider"'


@pytest.mark.parametrize(
    ("statut", "offertes"),
    [
        (StatutSession.PLANIFIEE, {INSCRIRE, ENVOYER, RETIRER, ENREGISTRER}),
        (StatutSession.ORDRE_DU_JOUR_ENVOYE, {INSCRIRE, RETIRER, ENREGISTRER}),
        (StatutSession.EN_COURS, {CLOTURER, RETIRER, ENREGISTRER}),
        (StatutSession.TENUE, {CLOTURER}),
        (StatutSession.CLOTUREE, set()),
    ],
)
def test_les_actions_suivent_l_etat_de_la_seance(client, commission, statut, offertes):
    session = commission.session()
    commission.inscrit(session)
    commission.dossier(Statut.RECEVABLE)  # un candidat
    SessionCommission.objects.filter(pk=session.pk).update(
        statut=statut, cloturee_le=timezone.now(), proces_verbal="proces-verbal/pv.pdf"
    )
    page = _page(client, commission.animateur, session)
    toutes = {INSCRIRE, ENVOYER, CLOTURER, RETIRER, ENREGISTRER}
    if statut == StatutSession.ORDRE_DU_JOUR_ENVOYE:
        assert "Renvoyer l'ordre du jour (mis à jour)" in page
        toutes.remove(ENVOYER)
    for action in toutes:
        assert (action in page) is (action in offertes), action


def test_pas_de_decision_offerte_avant_le_jour(client, commission):
    commission.sans_decision_anticipee()
    session = commission.session(jours=5)
    commission.inscrit(session)
    page = _page(client, commission.president, session)
    assert ENREGISTRER not in page
    assert "Les décisions s'enregistrent à partir du jour de la séance" in page


def test_la_seance_d_entree_ne_propose_pas_les_sorties(client, commission):
    session = commission.session(type=TypeCommission.ENTREE)
    recevable = commission.dossier(Statut.RECEVABLE)  # arrivé après la séance : à placer
    sortie = commission.dossier(Statut.SORTIE_PROPOSEE)
    client.force_login(commission.animateur)
    response = client.get(_url(session))
    assert [p.pk for p in response.context["a_inscrire"]] == [recevable.pk]
    assert str(sortie.participant) not in response.content.decode()


# — La ligne de décision —


def _poster(client, user, session, **donnees):
    client.force_login(user)
    return client.post(_url(session), {"action": "decider", **donnees})


def test_ajourne_sans_motif_garde_la_saisie_puis_se_corrige(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    suggere = commission.referent.pk
    response = _poster(
        client,
        commission.president,
        session,
        parcours=dossier.pk,
        decision="ajourne",
        motif="  ",
        referent=suggere,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Un motif est obligatoire pour la décision « Ajourné »." in page
    assert '<option value="ajourne" selected>' in page
    assert '<option value="admis" selected>' not in page
    (ligne,) = response.context["lignes"]
    assert ligne.saisie["decision"] == "ajourne"
    assert not Decision.objects.exists()
    # Corrigée : le référent présélectionné n'empêche pas l'ajournement.
    response = _poster(
        client,
        commission.president,
        session,
        parcours=dossier.pk,
        decision="ajourne",
        motif="Projet à préciser",
        referent=suggere,
    )
    assert response.status_code == 302
    assert Decision.objects.get().type == TypeDecision.AJOURNE


def test_le_motif_tape_est_garde(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    response = _poster(
        client,
        commission.president,
        session,
        parcours=dossier.pk,
        decision="admis",
        motif="Très motivé",
        referent="",
    )
    page = response.content.decode()
    assert "Choisissez le référent de parcours désigné pour cette admission." in page
    assert 'value="Très motivé"' in page


def test_le_referent_suggere_est_preselectionne(client, commission):
    session = commission.session()
    commission.inscrit(session)
    client.force_login(commission.president)
    response = client.get(_url(session))
    (ligne,) = response.context["lignes"]
    premier = ligne.suggestions[0].referent
    assert ligne.saisie["referent"] == premier.pk
    assert f'<option value="{premier.pk}" selected>' in response.content.decode()


def test_resume_d_une_ligne_par_dossier(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    participant = dossier.participant
    naissance = timezone.localdate() - datetime.timedelta(days=int(40.5 * 365.25))
    Participant.objects.filter(pk=participant.pk).update(
        date_naissance=naissance, commune_nom="Agen"
    )
    prescription = dossier.prescription
    prescription.motif = "Recherche un emploi dans la logistique"
    prescription.eligibilite = {"eligible": True, "criteres": []}
    prescription.save()
    client.force_login(commission.president)
    response = client.get(_url(session))
    (ligne,) = response.context["lignes"]
    assert ligne.resume[0] == "40 ans"
    assert ligne.resume[1] == "Agen"
    assert ligne.resume[2].startswith(f"prescrit par {dossier.structure_prescriptrice}")
    assert ligne.resume[3:] == ["éligible", "motif : Recherche un emploi dans la logistique"]
    assert " · ".join(ligne.resume) in response.content.decode()


@pytest.mark.parametrize(
    ("eligibilite", "derogation", "verdict"),
    [
        (None, False, "éligibilité non évaluée"),
        ({"eligible": False, "criteres": []}, False, "non éligible"),
        ({"eligible": False, "criteres": []}, True, "non éligible, dérogation accordée"),
    ],
)
def test_verdict_en_francais(client, commission, eligibilite, derogation, verdict):
    session = commission.session()
    dossier = commission.inscrit(session)
    prescription = dossier.prescription
    prescription.eligibilite = eligibilite
    if derogation:
        prescription.derogation_par = commission.animateur
        prescription.derogation_motif = "Situation particulière"
        prescription.derogation_le = timezone.now()
    prescription.save()
    client.force_login(commission.president)
    (ligne,) = client.get(_url(session)).context["lignes"]
    assert verdict in ligne.resume


def test_decision_postee_deux_fois_a_l_ecran(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    commission.inscrit(session)
    donnees = {"parcours": dossier.pk, "decision": "refuse", "motif": "Non"}
    assert _poster(client, commission.president, session, **donnees).status_code == 302
    response = _poster(client, commission.membre, session, **donnees)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Ce dossier a déjà été décidé par {commission.president} le " in page
    assert "Transition" not in page
    assert Decision.objects.count() == 1


def test_decision_sur_une_seance_close_a_l_ecran(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    client.force_login(commission.animateur)
    presents = [commission.membre.pk, commission.president.pk]
    client.post(_url(session, "cloturer"), {"presents": presents})
    response = _poster(
        client,
        commission.president,
        session,
        parcours=dossier.pk,
        decision="admis",
        referent=commission.referent.pk,
    )
    assert response.status_code == 200
    assert "ses décisions sont arrêtées" in response.content.decode()
    assert Decision.objects.get().type == TypeDecision.REFUSE


# — Clôturer, retirer —


def test_la_cloture_liste_les_dossiers_sans_decision(client, commission):
    session = commission.session()
    decide, oublie = commission.inscrit(session), commission.inscrit(session)
    decider(session, decide, TypeDecision.REFUSE, par=commission.president, motif="Non")
    client.force_login(commission.animateur)
    response = client.get(_url(session, "cloturer"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 dossier de l'ordre du jour n'a pas de décision" in page
    assert str(oublie.participant) in page
    assert _url(session, "retirer", oublie.pk) in page
    assert "Clôturer la séance</button>" not in page


def test_cloture_avec_les_presents_coches(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    client.force_login(commission.animateur)
    page = client.get(_url(session, "cloturer")).content.decode()
    assert page.count("checked") == 2  # président et membre, cochés par défaut
    # Personne de coché : message, rien de clos, la saisie réaffichée.
    response = client.post(_url(session, "cloturer"), {})
    assert "Cochez au moins un membre présent" in response.content.decode()
    session.refresh_from_db()
    assert session.statut == StatutSession.TENUE
    response = client.post(_url(session, "cloturer"), {"presents": [commission.membre.pk]})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.statut == StatutSession.CLOTUREE
    assert list(session.presents.all()) == [commission.membre]


def test_retirer_de_l_ordre_du_jour(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    client.force_login(commission.animateur)
    page = client.get(_url(session, "retirer", dossier.pk)).content.decode()
    assert f"Retirer {dossier.participant} de l'ordre du jour" in page
    response = client.post(_url(session, "retirer", dossier.pk))
    assert response.status_code == 302
    assert not session.inscriptions.exists()
    dossier.refresh_from_db()
    assert dossier.statut == Statut.EN_COMMISSION_ENTREE


@pytest.mark.parametrize("nom", ["cloturer", "retirer"])
@pytest.mark.parametrize(
    "qui", ["animateur_plie2", "membre_non_siegeant", "referent", "prescripteur"]
)
def test_ecrans_de_geste_404_hors_perimetre(client, commission, nom, qui):
    session = commission.session()
    dossier = commission.inscrit(session)
    commission.inscrit(session)
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    monde = commission.monde
    user = {
        "animateur_plie2": monde.user(Role.ANIMATEUR, "a", 2),
        "membre_non_siegeant": commission.autre_membre_de_commission(),
        "referent": monde.user(Role.REFERENT),
        "prescripteur": monde.user(Role.PRESCRIPTEUR),
    }[qui]
    autre = session.inscriptions.exclude(parcours=dossier).get().parcours_id
    url = _url(session, "cloturer") if nom == "cloturer" else _url(session, "retirer", autre)
    client.force_login(user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"presents": []}).status_code == 404
    assert session.inscriptions.count() == 2
    session.refresh_from_db()
    assert session.statut == StatutSession.EN_COURS


def test_retirer_un_dossier_absent_ou_un_simple_membre_404(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    ailleurs = commission.dossier(Statut.RECEVABLE)
    client.force_login(commission.animateur)
    assert client.get(_url(session, "retirer", ailleurs.pk)).status_code == 404
    client.force_login(commission.membre)  # siège, mais ne gère pas l'ordre du jour
    assert client.get(_url(session, "retirer", dossier.pk)).status_code == 404


def test_le_president_cloture(client, commission):
    session = commission.session()
    dossier = commission.inscrit(session)
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    client.force_login(commission.president)
    assert CLOTURER in client.get(_url(session)).content.decode()
    assert client.get(_url(session, "cloturer")).status_code == 200
    client.force_login(commission.membre)
    assert CLOTURER not in client.get(_url(session)).content.decode()
    assert client.get(_url(session, "cloturer")).status_code == 404


def test_les_comptes_a_placer_pour_l_animation(client, commission):
    for _ in range(2):
        commission.dossier(Statut.RECEVABLE)
    commission.dossier(Statut.SORTIE_PROPOSEE)
    client.force_login(commission.animateur)
    response = client.get(reverse("commissions:index"))
    assert response.context["a_placer"] == [(commission.monde.plie1, {"entree": 2, "sortie": 1})]
    assert "Dossiers à placer" in response.content.decode()
    client.force_login(commission.membre)
    assert "Dossiers à placer" not in client.get(reverse("commissions:index")).content.decode()


def test_apres_la_cloture_les_presents_relisent_la_seance_et_ses_dossiers(client, commission):
    """Présent : la séance, le PV et la fiche du dossier décidé répondent ; absent : 404."""
    session = commission.session()
    dossier = commission.inscrit(session)
    decider(session, dossier, TypeDecision.REFUSE, par=commission.president, motif="Non")
    client.force_login(commission.animateur)
    client.post(_url(session, "cloturer"), {"presents": [commission.membre.pk]})
    fiche = reverse("participants:detail", args=[dossier.participant_id])
    pv = reverse("documents:telecharger", args=["proces-verbal", session.pk])
    client.force_login(commission.membre)
    assert client.get(_url(session)).status_code == 200
    assert client.get(fiche).status_code == 200
    telechargement, contenu = telecharger(client, pv)
    assert telechargement.status_code == 200 and contenu.startswith(b"%PDF")
    client.force_login(commission.president)  # absent de la séance
    assert client.get(_url(session)).status_code == 404
    assert client.get(fiche).status_code == 404
    assert client.get(pv).status_code == 404
    client.force_login(commission.autre_membre_de_commission())
    assert client.get(fiche).status_code == 404


@pytest.mark.parametrize(
    ("donnees", "attendu"),
    [
        ({"parcours": "abc", "decision": "admis"}, "Dossier : Saisissez un nombre entier"),
        ({"decision": "peut-etre"}, "Décision inconnue : « peut-etre »."),
    ],
)
def test_saisie_invalide_message_et_rien_de_change(client, commission, donnees, attendu):
    session = commission.session()
    dossier = commission.inscrit(session)
    donnees = {"parcours": dossier.pk, **donnees}
    response = _poster(client, commission.president, session, **donnees)
    assert response.status_code == 200
    assert attendu in response.content.decode()
    assert not Decision.objects.exists()
    session.refresh_from_db()
    assert session.statut == StatutSession.PLANIFIEE


def test_pas_d_envoi_offert_sans_membres_ni_dossier(client, commission):
    sans_membres = commission.session(membres=[], president=None)
    commission.inscrit(sans_membres)
    assert ENVOYER not in _page(client, commission.animateur, sans_membres)
    vide = commission.session(jours=9)
    assert ENVOYER not in _page(client, commission.animateur, vide)
    commission.inscrit(vide)
    assert ENVOYER in _page(client, commission.animateur, vide)
