"""La documentation interactive de l'API (`/api/docs/`) dans Chromium : servie par le site
(Swagger UI de drf-spectacular-sidecar), sans violation de la Content-Security-Policy ni erreur
de la console ; un partenaire y essaie un point d'accès avec sa clé d'API (« Authorize » puis
« Try it out ») et lit la réponse (docs/api.md)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from parcours.core.cles import creer_cle
from parcours.core.enums import DroitCle, Role, TypeStructure
from parcours.core.models import CleApi
from tests.e2e.test_csp import ECOUTE_CSP
from tests.factories import PLIEFactory, StructureFactory, membre

pytestmark = pytest.mark.e2e


@pytest.fixture
def comptes(transactional_db):
    plie = PLIEFactory(code="agenais-api", nom="PLIE API")
    admin = membre(Role.ADMIN, StructureFactory(plie=plie, type=TypeStructure.PORTEUR))
    prescription = StructureFactory(plie=plie, type=TypeStructure.PRESCRIPTEUR, nom="FT Agen")
    prescripteur = membre(Role.PRESCRIPTEUR, prescription)
    _, jeton = creer_cle(
        par=admin,
        plie=plie,
        structure=prescription,
        role=Role.PRESCRIPTEUR,
        droits=[DroitCle.PRESCRIPTIONS_LIRE],
        nom="Logiciel de France Travail",
        expire_le=timezone.localdate() + datetime.timedelta(days=30),
    )
    return prescripteur, jeton


def test_documentation_sous_la_csp_et_essai_avec_une_cle(page: Page, comptes):
    prescripteur, jeton = comptes
    incidents = []
    page.context.expose_function("violationCSP", lambda t: incidents.append(("CSP", t)))
    page.context.add_init_script(ECOUTE_CSP)
    page.on("console", lambda m: incidents.append((f"console.{m.type}", m.text)))
    page.on("pageerror", lambda e: incidents.append(("erreur JS", str(e))))

    page.goto(reverse("login"))
    page.get_by_label("Identifiant").fill(prescripteur.username)
    page.get_by_label("Mot de passe").fill("motdepasse")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))

    reponse = page.goto("/api/docs/")
    assert reponse is not None and reponse.status == 200
    assert "script-src 'self'" in reponse.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("API du moteur de parcours")

    # « Authorize » : la clé d'API, puis un essai de la liste des prescriptions.
    page.get_by_role("button", name=re.compile("Authorize")).first.click()
    page.locator("#auth-bearer-value").fill(jeton)
    page.locator(".modal-ux button.authorize").first.click()
    page.locator(".modal-ux button.btn-done").first.click()
    operation = page.locator("#operations-prescriptions-prescriptions_liste")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    statut = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(statut).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text('"count": 0')
    page.wait_for_load_state("networkidle")
    assert incidents == []
    # La requête est bien partie avec la clé : sa dernière utilisation est notée.
    assert CleApi.objects.get().derniere_utilisation is not None
