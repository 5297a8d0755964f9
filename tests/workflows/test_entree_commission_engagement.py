"""Suite du flux d'entrée : séance de commission → décision → premier entretien → engagé."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from parcours.accompagnement import engagement
from parcours.accompagnement.chemins import completer_engagement
from parcours.accompagnement.enums import Statut
from parcours.commissions import services as commissions
from parcours.commissions.models import Decision
from parcours.core.enums import Role
from tests.factories import le_jour_de_la_seance, membre
from tests.workflows.test_entree_recevabilite import prendre_et_decider, prescrire, tache, url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def commission(acteurs):
    """Une séance d'entrée de l'Agenais dans une semaine, présidée par un membre de commission."""
    president = membre(Role.COMMISSION, acteurs.animateur.memberships.get().structure)
    session = commissions.planifier_session(
        plie=acteurs.agenais,
        type="entree",
        date=timezone.now() + datetime.timedelta(days=7),
        membres=[president],
        president=president,
        par=acteurs.animateur,
    )
    return session, president


def recevable(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    prendre_et_decider(client, acteurs.animateur, parcours, decision="recevable")
    parcours.refresh_from_db()
    return parcours


def decider(client, user, session, parcours, **donnees):
    le_jour_de_la_seance(session)
    client.force_login(user)
    return client.post(
        reverse("commissions:detail", args=[session.pk]),
        {"action": "decider", "parcours": parcours.pk, **donnees},
    )


def test_recevable_place_sur_la_prochaine_seance(client, acteurs, commission):
    session, _ = commission
    parcours = recevable(client, acteurs)
    assert parcours.statut == Statut.EN_COMMISSION_ENTREE
    assert list(session.inscriptions.values_list("parcours", flat=True)) == [parcours.pk]
    assert tache(parcours, "decision_commission").status == STATUS.NEW


def test_sans_seance_le_dossier_attend_recevable(client, acteurs):
    parcours = recevable(client, acteurs)
    assert parcours.statut == Statut.RECEVABLE
    assert tache(parcours, "decision_commission").status == STATUS.NEW


def test_admis_en_seance_puis_premier_entretien_puis_engage(client, acteurs, commission):
    session, president = commission
    parcours = recevable(client, acteurs)
    le_jour_de_la_seance(session)
    client.force_login(president)
    page = client.get(reverse("commissions:detail", args=[session.pk])).content.decode()
    assert str(parcours.participant) in page
    assert acteurs.referent.get_full_name() in page  # suggestion de référent

    response = decider(
        client, president, session, parcours, decision="admis", referent=acteurs.referent.pk
    )
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert (parcours.statut, parcours.referent) == (Statut.ADMIS, acteurs.referent)
    assert Decision.objects.get(parcours=parcours).par == president
    entretien = tache(parcours, "premier_entretien")
    assert (entretien.owner, entretien.status) == (acteurs.referent, STATUS.ASSIGNED)

    # Le référent voit la tâche, et ce qui manque pour engager.
    client.force_login(acteurs.referent)
    assert "Premier entretien" in client.get(reverse("accueil:index")).content.decode()
    page = client.get(url(entretien, "execute")).content.decode()
    assert "Pour engager l'accompagnement, il manque" in page
    response = client.post(url(entretien, "execute"), {"section": "engager"})
    assert "engagement n&#x27;est pas complet" in response.content.decode()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.ADMIS

    # Contrat généré depuis l'écran, puis le reste par les services, puis engagement à l'écran.
    response = client.post(
        url(entretien, "execute"), {"section": "contrat", "objectifs": "Emploi dans la logistique"}
    )
    assert response.status_code == 302
    assert engagement.contrat_de(parcours).fichier.name.endswith(".pdf")
    completer_engagement(parcours, par=acteurs.referent)
    response = client.post(url(entretien, "execute"), {"section": "engager"})
    assert response.status_code == 302
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_ACCOMPAGNEMENT
    assert tache(parcours, "engage").status == STATUS.DONE


def test_sections_du_premier_entretien_et_erreurs(client, acteurs, commission):
    session, president = commission
    parcours = recevable(client, acteurs)
    decider(client, president, session, parcours, decision="admis", referent=acteurs.referent.pk)
    entretien = tache(parcours, "premier_entretien")
    client.force_login(acteurs.referent)
    execute = url(entretien, "execute")
    client.post(execute, {"section": "contrat", "objectifs": ""})
    demain = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(execute, {"section": "signatures", "participant": demain})
    assert response.status_code == 200
    assert "futur" in response.content.decode()
    aujourdhui = timezone.localdate().isoformat()
    response = client.post(
        execute,
        {
            "section": "signatures",
            "participant": aujourdhui,
            "referent": aujourdhui,
            "copie_signee": SimpleUploadedFile("signe.pdf", PDF),
        },
    )
    assert response.status_code == 302
    assert engagement.contrat_de(parcours).est_signe
    response = client.post(execute, {"section": "questionnaire", "date_entree": demain})
    assert response.status_code == 200
    assert 'class="plie-erreur"' in response.content.decode()
    questionnaire = engagement.questionnaire_de(parcours)
    assert questionnaire is None or questionnaire.date_entree is None  # rien d'enregistré
    piece = engagement.pieces_attendues(parcours)[0]
    response = client.post(
        execute,
        {"section": "piece", "code": piece.code, "fichier": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 200
    response = client.post(
        execute,
        {"section": "piece", "code": piece.code, "fichier": SimpleUploadedFile("id.pdf", PDF)},
    )
    assert response.status_code == 302
    assert piece.code not in {p.code for p in engagement.pieces_manquantes(parcours)}


def test_ajourne_reste_en_attente_de_decision(client, acteurs, commission):
    session, president = commission
    parcours = recevable(client, acteurs)
    decider(client, president, session, parcours, decision="ajourne", motif="Projet à préciser")
    parcours.refresh_from_db()
    assert parcours.statut == Statut.AJOURNE
    # Un nouveau nœud d'attente pour la prochaine séance.
    assert tache(parcours, "decision_commission").status == STATUS.NEW


def test_refuse_termine_le_flux(client, acteurs, commission):
    session, president = commission
    parcours = recevable(client, acteurs)
    decider(client, president, session, parcours, decision="refuse", motif="Non prioritaire")
    parcours.refresh_from_db()
    assert parcours.statut == Statut.REFUSE
    assert tache(parcours, "refuse").status == STATUS.DONE


def test_double_decision_message_clair(client, acteurs, commission):
    session, president = commission
    parcours = recevable(client, acteurs)
    decider(client, president, session, parcours, decision="admis", referent=acteurs.referent.pk)
    response = decider(client, acteurs.animateur, session, parcours, decision="refuse", motif="x")
    assert response.status_code == 200  # la page réaffichée, avec le message
    assert "déjà été décidé" in response.content.decode()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.ADMIS


def test_cloture_pv_et_notification(client, acteurs, commission):
    session, president = commission
    parcours = recevable(client, acteurs)
    decider(client, president, session, parcours, decision="admis", referent=acteurs.referent.pk)
    mail.outbox.clear()
    client.force_login(acteurs.animateur)
    client.post(reverse("commissions:cloturer", args=[session.pk]), {"presents": [president.pk]})
    session.refresh_from_db()
    assert session.proces_verbal.name.endswith(".pdf")
    assert any(acteurs.prescripteur.email in m.to for m in mail.outbox)


def test_seance_d_un_autre_perimetre_repond_404(client, acteurs, commission):
    session, _ = commission
    for etranger in acteurs.etrangers().values():
        client.force_login(etranger)
        assert client.get(reverse("commissions:detail", args=[session.pk])).status_code == 404
        assert (
            client.post(
                reverse("commissions:detail", args=[session.pk]), {"action": "envoyer"}
            ).status_code
            == 404
        )
        assert client.get(reverse("commissions:cloturer", args=[session.pk])).status_code == 404
    client.force_login(acteurs.animateur_flandre)
    assert session not in client.get(reverse("commissions:index")).context["sessions"]


def test_premier_entretien_d_un_autre_referent_repond_404(client, acteurs, commission):
    session, president = commission
    parcours = recevable(client, acteurs)
    decider(client, president, session, parcours, decision="admis", referent=acteurs.referent.pk)
    entretien = tache(parcours, "premier_entretien")
    autre = membre(Role.REFERENT, acteurs.referent.memberships.get().structure)
    client.force_login(autre)
    assert client.get(url(entretien, "execute")).status_code == 404


def test_planifier_une_seance_depuis_l_ecran(client, acteurs):
    client.force_login(acteurs.animateur)
    quand = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT14:00")
    response = client.post(
        reverse("commissions:index"), {"plie": "agenais", "date": quand, "type": "entree"}
    )
    assert response.status_code == 302
    assert acteurs.agenais.sessions.count() == 1
    response = client.post(
        reverse("commissions:index"),
        {"plie": "agenais", "date": "2001-01-01T14:00", "type": "entree"},
    )
    assert response.status_code == 200
    assert acteurs.agenais.sessions.count() == 1
    client.force_login(acteurs.referent)
    assert (
        client.post(
            reverse("commissions:index"), {"plie": "agenais", "date": quand, "type": "entree"}
        ).status_code
        == 404
    )


def test_membre_dont_l_adhesion_est_terminee_ne_voit_plus_la_seance(client, acteurs, commission):
    session, president = commission
    detail = reverse("commissions:detail", args=[session.pk])
    client.force_login(president)
    assert client.get(detail).status_code == 200
    president.memberships.update(fin=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(detail).status_code == 404
    assert session not in client.get(reverse("commissions:index")).context["sessions"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REFERENT, Role.CRE])
def test_liste_et_fiche_de_seance_suivent_le_meme_predicat(client, acteurs, commission, role):
    from parcours import acces

    session, _ = commission
    user = membre(role, acteurs.animateur.memberships.get().structure)
    voit = acces.peut_gerer_les_sessions(user, session.plie_id) or acces.siege_a_la_session(
        user, session
    )
    assert voit is False
    client.force_login(user)
    assert client.get(reverse("commissions:detail", args=[session.pk])).status_code == 404
    assert list(client.get(reverse("commissions:index")).context["sessions"]) == []
