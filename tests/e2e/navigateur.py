"""Gestes communs des parcours navigateur : se connecter, lire le message affiché."""

import re

from playwright.sync_api import Page, expect

MOT_DE_PASSE = "motdepasse"  # celui des fabriques de tests.factories


def se_connecter(page: Page, user, prenom_nom: str | None = None):
    """Connexion par le formulaire ; avec `prenom_nom`, vérifie l'arrivée sur l'accueil."""
    # Quitter d'abord la page du compte précédent (requêtes en vol : tests/e2e/test_csp.py).
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    if prenom_nom is not None:
        expect(page).to_have_url(re.compile(r"/app/accueil/$"))
        expect(page.get_by_role("heading", name=f"Bonjour {prenom_nom}")).to_be_visible()


def message(page: Page):
    return page.get_by_role("main").get_by_role("status")
