"""L'ordre du jour de l'écran de séance par pages (`LIGNES_PAR_PAGE`, ramené ici à 2) : chaque
dossier sur une page et une seule, dans l'ordre de passage ; une page hors des bornes ramenée
dans les bornes avec un message ; une décision (enregistrée ou refusée) et une inscription
ramènent à la page du dossier ; même nombre de requêtes sur chaque page."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.commissions.models import Decision
from parcours.commissions.services import sommaire_de_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def seance(commission, monkeypatch):
    """Une séance de cinq dossiers, deux par page : trois pages."""
    monkeypatch.setattr("workflows.commissions.lignes.LIGNES_PAR_PAGE", 2)
    session = commission.session()
    dossiers = [commission.inscrit(session) for _ in range(5)]
    return session, dossiers


def _url(session, **params):
    url = reverse("commissions:detail", args=[session.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _montres(response):
    return [ligne.parcours.pk for ligne in response.context["lignes"]]


def test_chaque_dossier_sur_une_page_dans_l_ordre_de_passage(client, commission, seance):
    session, dossiers = seance
    client.force_login(commission.animateur)
    vus = []
    for numero in (1, 2, 3):
        response = client.get(_url(session, page=numero))
        assert response.status_code == 200
        assert response.context["page"] == numero
        vus += _montres(response)
    assert vus == [pk for pk, _decide in sommaire_de_session(session)]
    assert sorted(vus) == sorted(d.pk for d in dossiers)
    html = client.get(_url(session)).content.decode()
    assert "Ordre du jour (5)" in html
    assert "Dossiers 1 à 2 sur 5" in html
    assert 'href="?page=3#titre-odj"' in html
    assert 'aria-current="page"' in html


@pytest.mark.parametrize(("demande", "attendue"), [("99", 3), ("-1", 1), ("abc", 1), ("0", 1)])
def test_page_hors_des_bornes_ramenee_avec_un_message(
    client, commission, seance, demande, attendue
):
    session, _ = seance
    client.force_login(commission.animateur)
    response = client.get(_url(session, page=demande))
    assert response.status_code == 200
    assert response.context["page"] == attendue
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Page « {demande} » hors de la liste : page {attendue} sur 3." in messages


def test_une_seule_page_sans_navigation(client, commission):
    session = commission.session()
    commission.inscrit(session)
    client.force_login(commission.animateur)
    response = client.get(_url(session))
    assert response.context["pages"] == ()
    assert "Pages de l'ordre du jour" not in response.content.decode()


def test_la_decision_ramene_a_la_page_du_dossier(client, commission, seance):
    session, _ = seance
    dernier = sommaire_de_session(session)[-1][0]
    client.force_login(commission.president)
    response = client.post(
        _url(session, page=1),
        {"action": "decider", "parcours": dernier, "decision": "refuse", "motif": "Non"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{_url(session, page=3)}#dossier-{dernier}"
    assert Decision.objects.filter(parcours_id=dernier).exists()
    # Les dossiers sans décision sont comptés sur tout l'ordre du jour, pas sur la page.
    assert client.get(_url(session)).context["non_decides"] == 4


def test_un_refus_reaffiche_la_page_du_dossier_avec_la_saisie(client, commission, seance):
    session, _ = seance
    troisieme = sommaire_de_session(session)[2][0]
    client.force_login(commission.president)
    response = client.post(
        _url(session), {"action": "decider", "parcours": troisieme, "decision": "ajourne"}
    )
    assert response.status_code == 200
    assert response.context["page"] == 2
    (ligne,) = [li for li in response.context["lignes"] if li.parcours.pk == troisieme]
    assert ligne.saisie["erreur"] == "Un motif est obligatoire pour la décision « Ajourné »."


def test_l_inscription_ramene_a_la_page_du_dossier(client, commission, seance):
    session, _ = seance
    pret = commission.dossier(Statut.RECEVABLE)
    client.force_login(commission.animateur)
    response = client.post(_url(session), {"action": "inscrire", "parcours": pret.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{_url(session, page=3)}#dossier-{pret.pk}"


def test_meme_nombre_de_requetes_sur_chaque_page(client, commission, seance):
    session, _ = seance
    client.force_login(commission.president)
    comptes = []
    for numero in (1, 3):  # deux lignes, puis une
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(session, page=numero)).status_code == 200
        comptes.append(len(ctx.captured_queries))
    assert comptes[0] == comptes[1]
