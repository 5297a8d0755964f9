"""En-têtes de sécurité : Content-Security-Policy, X-Frame-Options, Referrer-Policy,
Permissions-Policy. Que les pages marchent sous cette politique : tests/e2e/test_csp.py."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from config.securite import CSPMiddleware
from parcours.core.enums import Role

pytestmark = pytest.mark.django_db

DIRECTIVES_ATTENDUES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(entete):
    return {
        nom: valeurs
        for nom, *valeurs in (partie.split() for partie in entete.split(";") if partie.strip())
    }


@pytest.fixture(params=["anonyme", "connecté"])
def page(request, client, monde):
    if request.param == "anonyme":
        return client.get(reverse("login"))
    client.force_login(monde.user(Role.REFERENT))
    return client.get(reverse("accueil:index"))


def test_chaque_page_porte_la_politique(page):
    assert page.status_code == 200
    assert directives(page["Content-Security-Policy"]) == DIRECTIVES_ATTENDUES
    assert page["X-Frame-Options"] == "DENY"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Permissions-Policy"] == (
        "camera=(), geolocation=(), microphone=(), payment=(), usb=()"
    )


def test_un_refus_porte_aussi_la_politique(client, monde):
    client.force_login(monde.user(Role.REFERENT))
    reponse = client.get(reverse("participants:detail", args=[987654]))
    assert reponse.status_code == 404
    assert "Content-Security-Policy" in reponse


def appliquer(vue):
    requete = RequestFactory().get("/")
    middleware = CSPMiddleware(vue)
    return middleware(requete)


def test_le_nonce_ne_va_qu_aux_scripts():
    """Un nonce dans style-src annulerait 'unsafe-inline' (styles de viewflow) : scripts seuls."""

    def vue(requete):
        return HttpResponse(f'<script nonce="{requete.csp_nonce}"></script>')

    reponse = appliquer(vue)
    politique = directives(reponse["Content-Security-Policy"])
    nonce = reponse.content.decode().split('"')[1]
    assert politique["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert politique["style-src"] == ["'self'", "'unsafe-inline'"]


def test_un_pdf_n_a_pas_de_csp():
    """La visionneuse PDF de Chromium est bloquée par object-src 'none' (config/securite.py)."""
    reponse = appliquer(lambda requete: HttpResponse(b"%PDF-1.4", content_type="application/pdf"))
    assert "Content-Security-Policy" not in reponse
    html = appliquer(lambda requete: HttpResponse("<p>x</p>"))
    assert "Content-Security-Policy" in html
