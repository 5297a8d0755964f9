"""Dans le navigateur : un dossier hors périmètre et une adresse inconnue donnent la page 404 en
français, dans la coquille de l'application (barre, menu, titre d'onglet), d'où l'on revient à
l'accueil ; l'onglet de chaque écran porte son titre (config/erreurs.py, docs/architecture.md)."""

import re

import pytest
from playwright.sync_api import Page, expect

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from tests.e2e.navigateur import se_connecter
from tests.factories import parcours_en

pytestmark = pytest.mark.e2e


def test_404_en_francais_et_retour_a_l_accueil(page: Page, live_server, monde, transactional_db):
    referent = monde.user(Role.REFERENT)
    voisin = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2)
    se_connecter(page, referent)
    expect(page).to_have_title("Accueil — PLIE")

    page.goto(f"/app/participants/parcours/{voisin.pk}/")
    expect(page).to_have_title("Page introuvable — PLIE")
    expect(
        page.get_by_role("heading", name="Cette page n'existe pas ou ne vous est pas accessible")
    ).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.locator(".vf-page__menu")).to_have_count(1)  # le menu de l'application

    page.goto("/app/n-existe-pas/")
    expect(page).to_have_title("Page introuvable — PLIE")
    page.get_by_role("link", name="Revenir à l'accueil").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))
    expect(page).to_have_title("Accueil — PLIE")
    page.goto("/app/participants/")
    expect(page).to_have_title("Participants — PLIE")
