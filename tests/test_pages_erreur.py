"""Les pages 403, 404 et 500 sont en français, dans la coquille de l'application (barre, menu),
avec ou sans DEBUG (config/erreurs.py) ; la 500 ne lit rien (ni base ni session)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config import erreurs
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.tracabilite.models import Trace
from tests.factories import parcours_en


def titre(html: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_404_d_un_dossier_hors_perimetre_en_francais_avec_le_menu(client, monde, debug):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2)
    client.force_login(monde.user(Role.REFERENT))
    reponse = client.get(reverse("participants:dossier", args=[parcours.pk]))
    assert reponse.status_code == 404
    html = reponse.content.decode()
    assert titre(html) == "Page introuvable — PLIE"
    assert "Cette page n'existe pas ou ne vous est pas accessible" in html
    assert "vf-page__menu" in html  # le menu de l'application
    assert 'href="/app/participants/"' in html
    assert "Revenir à l'accueil" in html
    assert "Page not found" not in html and "DEBUG = True" not in html
    # Le détail technique n'est montré qu'en DEBUG.
    assert ('id="detail-technique"' in html) is debug
    # Le refus reste tracé (parcours/tracabilite/middleware.py).
    assert Trace.objects.filter(objet_id=str(parcours.pk), detail__startswith="404 GET").exists()


@pytest.mark.parametrize("connecte", [True, False], ids=["connecté", "anonyme"])
def test_404_d_une_adresse_inconnue(client, monde, debug, connecte):
    if connecte:
        client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.get("/app/participants/n-existe-pas/")
    assert reponse.status_code == 404
    html = reponse.content.decode()
    assert titre(html) == "Page introuvable — PLIE"
    assert "<code>/app/participants/n-existe-pas/</code>" in html
    assert "Page not found" not in html and "Using the URLconf" not in html
    assert ("vf-page__menu" in html) is connecte
    assert ("Se connecter" in html) is not connecte
    # Une adresse inexistante n'est pas un refus sur un objet : pas de trace.
    assert not Trace.objects.filter(chemin="/app/participants/n-existe-pas/").exists()


def test_403_en_francais_dans_la_coquille(client, monde, debug):
    parcours = parcours_en(monde, Statut.EN_EMPLOI)
    client.force_login(monde.user(Role.DIRECTION))
    url = reverse("emploi:contrats", args=[parcours.pk])
    reponse = client.post(
        url, {"type": "cdd", "employeur": "Mairie", "debut": timezone.localdate().isoformat()}
    )
    assert reponse.status_code == 403
    html = reponse.content.decode()
    assert titre(html) == "Accès refusé — PLIE"
    assert "Vous n'avez pas le droit de faire cette action" in html
    assert "Rien n'a été modifié" in html
    assert "vf-page__menu" in html
    assert "403 Forbidden" not in html
    assert ("Vous ne pouvez pas modifier les contrats de ce parcours" in html) is debug


def test_formulaire_expire_en_francais(monde, debug):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.post(reverse("participants:prescrire"), {"plie": "x"})
    assert reponse.status_code == 403
    html = reponse.content.decode()
    assert titre(html) == "Formulaire expiré — PLIE"
    assert "Ce formulaire a expiré" in html
    assert "CSRF verification failed" not in html


def test_500_statique_en_francais_sans_lire_la_base(rf, db):
    requete = rf.get("/app/accueil/")
    with CaptureQueriesContext(connection) as requetes:
        reponse = erreurs.page_500(requete)
    assert len(requetes) == 0
    assert reponse.status_code == 500
    html = reponse.content.decode()
    assert titre(html) == "Erreur du serveur — PLIE"
    assert "Une erreur est survenue de notre côté" in html
    assert 'lang="fr"' in html


def test_500_par_le_gestionnaire_en_production(client, monde, settings, monkeypatch):
    """Une exception dans une vue, DEBUG=False : la page 500 française, pas celle de Django."""
    settings.DEBUG = False

    def panne(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr("workflows.accueil.views.AccueilView.get", panne)
    client.raise_request_exception = False
    client.force_login(monde.user(Role.REFERENT))
    reponse = client.get(reverse("accueil:index"))
    assert reponse.status_code == 500
    assert "Une erreur est survenue de notre côté" in reponse.content.decode()


def test_les_gestionnaires_sont_declares():
    from config import urls

    assert urls.handler403 == "config.erreurs.page_403"
    assert urls.handler404 == "config.erreurs.page_404"
    assert urls.handler500 == "config.erreurs.page_500"
