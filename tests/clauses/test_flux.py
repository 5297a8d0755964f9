"""Le flux d'une candidature, par l'interface : proposition (référent, prescripteur,
facilitateur), éligibilité expliquée, positionnement, décision de l'entreprise, embauche,
inscription au parcours par le référent ; chaque tâche fermée aux autres (404 / 403)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from viewflow.workflow.status import STATUS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import StatutDeclare
from parcours.clauses.enums import StatutBesoin, StatutPositionnement
from parcours.clauses.models import CandidatExterne, Positionnement
from parcours.core.enums import Role
from tests.clauses.conftest import referentiel_avec_clauses
from tests.factories import parcours_en
from workflows import access as flux
from workflows.clauses.flows import CandidatureFlow

pytestmark = pytest.mark.django_db


def tache(positionnement, nom=None):
    process = CandidatureFlow.process_class.objects.get(
        artifact_object_id=positionnement.pk, flow_class=CandidatureFlow
    )
    taches = process.task_set.order_by("-id")
    if nom:
        taches = taches.filter(flow_task=getattr(CandidatureFlow, nom))
    return taches.first()


def url(t, action="execute"):
    return t.flow_task.reverse(action, args=[t.process_id, t.pk])


def proposer(client, user, besoin, **donnees):
    client.force_login(user)
    response = client.post(reverse("clauses:besoin_proposer", args=[besoin.pk]), donnees)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Positionnement.objects.order_by("-id").first()


def executer(client, user, t, **donnees):
    client.force_login(user)
    return client.post(url(t), donnees)


@pytest.fixture
def participant(chantier):
    parcours = parcours_en(chantier.monde, Statut.EN_ACCOMPAGNEMENT)
    StatutDeclare.objects.create(prescription=parcours.prescription, code="rsa")
    referentiel_avec_clauses(chantier.monde.plie1)
    return parcours


def test_parcours_complet_d_un_participant_jusqu_au_contrat_et_a_l_etape(
    client, chantier, participant
):
    monde = chantier.monde
    referent = monde.user(Role.REFERENT)
    f = chantier.facilitateur
    p = proposer(
        client,
        referent,
        chantier.besoin,
        participant=participant.participant.pk,
        commentaire="Motivé, permis B",
    )
    assert (p.statut, p.role_proposant, p.propose_par) == ("proposee", "referent", referent)

    t = tache(p, "verifier_eligibilite")
    assert (t.owner, t.status) == (f, STATUS.ASSIGNED)
    assert t in flux.mes_taches(f)
    page = client.get(reverse("accueil:index"))  # le référent n'a pas cette tâche
    assert "Vérifier l'éligibilité à la clause" not in page.content.decode()
    client.force_login(f)
    assert (
        "Vérifier l&#x27;éligibilité à la clause"
        in client.get(reverse("accueil:index")).content.decode()
    )
    page = client.get(url(t)).content.decode()
    assert "Éligible selon le référentiel du PLIE" in page
    assert "Public éligible à la clause — satisfait par" in page

    assert executer(client, f, t, decision="eligible").status_code == 302
    t = tache(p, "positionner")
    assert executer(client, f, t, motif="CV transmis à l'entreprise").status_code == 302
    t = tache(p, "decision_entreprise")
    response = executer(client, f, t, decision="non_retenue")
    assert escape("Indiquez pourquoi l'entreprise n'a pas retenu la candidature.") in (
        response.content.decode()
    )
    assert executer(client, f, t, decision="retenue").status_code == 302
    t = tache(p, "embauche")
    page = client.get(url(t)).content.decode()
    assert str(chantier.marche.attributaire) in page  # employeur proposé : l'attributaire
    debut = datetime.date.today()
    assert (
        executer(
            client,
            f,
            t,
            date_embauche=debut.isoformat(),
            type_contrat="cdd",
            employeur="BTP Construction",
            date_fin=(debut + datetime.timedelta(days=180)).isoformat(),
            heures_hebdo="35",
        ).status_code
        == 302
    )
    p.refresh_from_db()
    assert p.statut == StatutPositionnement.EMBAUCHEE

    t = tache(p, "inscrire_au_parcours")
    assert (t.owner, t.status) == (referent, STATUS.ASSIGNED)
    client.force_login(f)
    assert client.get(url(t)).status_code == 403  # la tâche est celle du référent
    client.force_login(referent)
    page = client.get(url(t)).content.decode()
    assert "mise-en-situation-travail" in page
    assert 'name="periode_essai_jours"' in page
    response = executer(
        client, referent, t, type_etape="mise-en-situation-travail", periode_essai_jours="30"
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    participant.refresh_from_db()
    contrat = participant.contrats.get()
    assert contrat.periode_essai_jours == 30
    assert (contrat.type, contrat.employeur, contrat.debut, contrat.created_by) == (
        "cdd",
        "BTP Construction",
        debut,
        referent,
    )
    assert participant.statut == Statut.EN_EMPLOI
    etape = participant.etapes.get()
    assert etape.type_code == "mise-en-situation-travail"
    assert etape.intitule == f"Clause sociale : Manœuvre bâtiment ({chantier.marche.numero})"
    p.refresh_from_db()
    assert p.inscrite_au_parcours_par == referent
    assert p.contrat == contrat  # la candidature garde le contrat (tableau de bord)
    assert tache(p, "embauchee").status == STATUS.DONE
    # Le référent qui a proposé est tenu au courant à chaque décision du facilitateur.
    sujets = [m.subject for m in mail.outbox if m.to == [referent.email]]
    assert [s.rsplit(" — ", 1)[-1] for s in sujets] == [
        "Positionnée auprès de l'entreprise",
        "Retenue par l'entreprise",
        "Embauchée",
    ]
    assert [t.transition for t in p.transitions.all()] == [
        "confirmer_eligibilite",
        "positionner",
        "retenir",
        "embaucher",
    ]


def test_un_candidat_externe_propose_par_le_prescripteur_non_eligible(client, chantier):
    referentiel_avec_clauses(chantier.monde.plie1)
    prescripteur = chantier.monde.user(Role.PRESCRIPTEUR)
    p = proposer(
        client,
        prescripteur,
        chantier.besoin,
        nouveau="on",
        **{
            "externe-nom": "Bernard",
            "externe-prenom": "Ines",
            "externe-date_naissance": "1992-03-04",
            "externe-sexe": "F",
            "externe-commune_insee": "47001",
            "externe-niveau_qualification": "5",
        },
    )
    externe = CandidatExterne.objects.get()
    assert p.candidat_externe == externe and externe.created_by == prescripteur
    assert p.eligible is False
    t = tache(p, "verifier_eligibilite")
    client.force_login(chantier.facilitateur)
    page = client.get(url(t)).content.decode()
    assert "Non éligible selon le référentiel du PLIE" in page
    response = executer(client, chantier.facilitateur, t, decision="non_eligible")
    assert "Un motif est obligatoire" in response.content.decode()
    response = executer(
        client, chantier.facilitateur, t, decision="non_eligible", motif="Hors public prioritaire"
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.statut == StatutPositionnement.NON_ELIGIBLE
    assert tache(p, "non_eligible").status == STATUS.DONE
    # Le prescripteur est prévenu, et suit sa candidature : refusée, avec le motif.
    (courriel,) = mail.outbox
    assert courriel.to == [prescripteur.email]
    assert "BERNARD Ines" in courriel.subject and "Hors public prioritaire" in courriel.body
    client.force_login(prescripteur)
    page = client.get(reverse("clauses:candidature", args=[p.pk])).content.decode()
    assert "Hors public prioritaire" in page


def test_formulaire_de_proposition_refuse_un_choix_ambigu(client, chantier, participant):
    client.force_login(chantier.monde.user(Role.REFERENT))
    response = client.post(
        reverse("clauses:besoin_proposer", args=[chantier.besoin.pk]),
        {"participant": participant.participant.pk, "nouveau": "on"},
    )
    assert "Choisissez une seule personne" in response.content.decode()
    assert not Positionnement.objects.exists()


def test_proposer_sur_un_besoin_clos_renvoie_au_besoin(client, chantier):
    chantier.besoin.statut = StatutBesoin.CLOS
    chantier.besoin.save()
    client.force_login(chantier.facilitateur)
    response = client.get(reverse("clauses:besoin_proposer", args=[chantier.besoin.pk]))
    assert response["Location"] == reverse("clauses:besoin", args=[chantier.besoin.pk])


@pytest.mark.parametrize("action", ["execute", "detail"])
def test_taches_fermees_hors_perimetre(client, chantier, participant, action):
    monde = chantier.monde
    p = proposer(
        client, monde.user(Role.REFERENT), chantier.besoin, participant=participant.participant.pk
    )
    t = tache(p, "verifier_eligibilite")
    process_detail = reverse("candidatures:process_detail", args=[t.process_id])
    for etranger in (
        chantier.facilitateur2,
        monde.user(Role.CRE),
        monde.user(Role.PRESCRIPTEUR, "b"),
        monde.user(Role.REFERENT, "b"),
        monde.user(Role.DONNEUR_ORDRE),
    ):
        client.force_login(etranger)
        assert client.get(url(t, action)).status_code == 404, etranger
        assert client.post(url(t, action), {"decision": "eligible"}).status_code == 404
        assert client.get(process_detail).status_code == 404
    # Le référent voit la candidature de son participant, mais la tâche n'est pas la sienne.
    client.force_login(monde.user(Role.REFERENT))
    if action == "execute":
        assert client.post(url(t), {"decision": "eligible"}).status_code == 403
    client.logout()
    response = client.get(url(t, action))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    p.refresh_from_db()
    assert p.statut == StatutPositionnement.PROPOSEE


def test_diffuser_un_besoin_par_l_ecran(client, chantier):
    client.force_login(chantier.facilitateur)
    referent = chantier.monde.user(Role.REFERENT)
    response = client.post(reverse("clauses:besoin_diffuser", args=[chantier.besoin.pk]))
    assert response.status_code == 302
    (courriel,) = mail.outbox
    assert referent.email in courriel.to
    assert f"/app/clauses/besoins/{chantier.besoin.pk}/" in courriel.body


def test_accueil_du_facilitateur_nomme_le_candidat_et_jamais_un_dossier_de_meme_cle(
    client, chantier
):
    """Une tâche de candidature porte une candidature, pas un parcours : l'accueil affiche la
    personne candidate, pas le participant d'un parcours qui aurait la même clé."""
    from tests.clauses.factories import CandidatExterneFactory

    ailleurs = parcours_en(chantier.monde, Statut.EN_ACCOMPAGNEMENT, plie=2)
    externe = CandidatExterneFactory(plie=chantier.monde.plie1, nom="Candidate", prenom="Zoé")
    p = Positionnement.objects.create(
        pk=ailleurs.pk,
        besoin=chantier.besoin,
        candidat_externe=externe,
        propose_par=chantier.facilitateur,
        role_proposant=Role.FACILITATEUR,
    )
    CandidatureFlow.start.run(positionnement=p)
    client.force_login(chantier.facilitateur)
    page = client.get(reverse("accueil:index")).content.decode()
    assert "CANDIDATE Zoé" in page
    assert chantier.monde.plie1.nom in page
    assert ailleurs.participant.nom.upper() not in page


def test_chaque_etape_du_flux_selon_le_role(client, chantier, participant):
    """À chaque tâche : son titulaire l'ouvre ; qui voit la candidature sans en être chargé reçoit
    403 ; tout autre (autre structure, autre PLIE, CRE, donneur d'ordre) 404 ; l'anonyme va à
    la connexion."""
    monde = chantier.monde
    f, referent = chantier.facilitateur, monde.user(Role.REFERENT)
    p = proposer(client, referent, chantier.besoin, participant=participant.participant.pk)
    etrangers = [
        chantier.facilitateur2,
        monde.user(Role.CRE),
        monde.user(Role.DONNEUR_ORDRE),
        monde.user(Role.PRESCRIPTEUR, "b"),
        monde.user(Role.REFERENT, "b"),
        monde.user(Role.ANIMATEUR, plie=2),
    ]
    debut = datetime.date.today().isoformat()
    etapes = [
        ("verifier_eligibilite", f, {"decision": "eligible"}),
        ("positionner", f, {}),
        ("decision_entreprise", f, {"decision": "retenue"}),
        (
            "embauche",
            f,
            {"date_embauche": debut, "type_contrat": "cdi", "employeur": "BTP Construction"},
        ),
        ("inscrire_au_parcours", referent, {"type_etape": "mise-en-situation-travail"}),
    ]
    for nom, titulaire, decision in etapes:
        t = tache(p, nom)
        assert t.owner == titulaire, nom
        voient_sans_la_tache = [
            u for u in (f, referent, monde.user(Role.ANIMATEUR)) if u != titulaire
        ]
        for user, attendu in [
            (titulaire, 200),
            *((u, 403) for u in voient_sans_la_tache),
            *((u, 404) for u in etrangers),
        ]:
            client.force_login(user)
            assert client.get(url(t)).status_code == attendu, (nom, user)
        client.logout()
        assert client.get(url(t))["Location"].startswith(reverse("login"))
        assert executer(client, titulaire, t, **decision).status_code == 302, nom
    p.refresh_from_db()
    assert p.statut == StatutPositionnement.EMBAUCHEE and p.inscrite_au_parcours_le is not None
