"""Parcours navigateur : Playwright (API synchrone) pilote le chromium de Debian.

Le chromium du système est obligatoire (la CI l'installe avec apt) : s'il manque, les tests
échouent avec un message explicite, ils ne sont jamais ignorés.
"""

import os
from pathlib import Path

import pytest

# L'API synchrone de Playwright fait tourner une boucle asyncio dans le thread principal, du
# démarrage du navigateur à son arrêt (fin de session ici). Django voit alors une boucle en cours
# et refuse tout appel ORM depuis ce thread (SynchronousOnlyOperation) : données de test, requêtes
# de vérification, vidage de la base par `transactional_db`, destruction de la base de test. Ces
# appels sont bien synchrones et ne partagent rien avec la boucle de Playwright, qui ne sert qu'à
# dialoguer avec le navigateur : la garde est levée pour ce processus.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# `live_server` écoute sur 127.0.0.1 (sans ambiguïté IPv4/IPv6 comme « localhost ») et sur un
# port libre ; `--liveserver` reste prioritaire.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Délai des attentes Playwright : une page locale répond en bien moins ; échouer vite sinon.
DELAI_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium introuvable ou non exécutable : {CHROMIUM}. Les tests e2e l'exigent : "
            "`sudo apt-get install chromium` (la CI l'installe).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        navigateur = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield navigateur
        navigateur.close()


@pytest.fixture
def page(browser, live_server):
    """Une page dans un contexte neuf (cookies, session, stockage) pour chaque test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=DELAI_MS)
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(DELAI_MS)
    context.set_default_navigation_timeout(DELAI_MS)
    page = context.new_page()
    yield page
    context.close()
