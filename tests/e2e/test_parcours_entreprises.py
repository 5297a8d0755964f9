"""Parcours navigateur des relations entreprises (issue 5, point 1).

La CRE ajoute une entreprise (SIRET refusé avec sa raison, puis corrigé) → recueille une offre →
la qualifie → la diffuse à un référent (trace) → le référent voit l'offre diffusée et y propose
la personne qu'il accompagne → la CRE la retrouve dans « à traiter », enregistre la réponse de
l'entreprise puis l'embauche : le contrat est au dossier, l'offre pourvue.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.entreprises.enums import StatutMiseEnRelation, StatutOffre
from parcours.entreprises.models import Entreprise, MiseEnRelation
from tests.e2e.navigateur import se_connecter
from tests.entreprises.conftest import SIRETS
from tests.factories import parcours_en

pytestmark = pytest.mark.e2e


def test_de_l_entreprise_a_l_embauche(page: Page, browser, live_server, monde, transactional_db):
    cre = monde.user(Role.CRE)
    referent = monde.user(Role.REFERENT)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    personne = str(parcours.participant)

    se_connecter(page, cre)
    page.goto("/app/entreprises/")
    page.get_by_role("link", name="Ajouter une entreprise").click()
    page.get_by_label("Raison sociale *").fill("Bâtir Agenais")
    page.get_by_label("SIRET *").fill("732 829 320 00075")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("la clé de contrôle ne correspond pas")
    page.get_by_label("SIRET *").fill("732 829 320 00074")
    page.get_by_label("Partenaire du PLIE").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Bâtir Agenais")).to_be_visible()
    assert Entreprise.objects.get().siret == SIRETS[0]

    page.get_by_text("Recueillir une offre").click()
    page.get_by_label("Intitulé du poste *").fill("Maçon VRD")
    page.get_by_label("Type de contrat").select_option(label="CDD")
    page.get_by_label("Lieu de travail").fill("Agen")
    page.get_by_role("button", name="Enregistrer l'offre").click()
    expect(page.locator("#statut-offre")).to_have_text("Collectée")
    page.get_by_role("button", name="Qualifier", exact=True).click()
    expect(page.locator("#statut-offre")).to_have_text("Qualifiée")
    page.get_by_text("Diffuser aux référents").click()
    page.get_by_label("Comment").select_option(label="Par courriel")
    # Autocomplétion (plus de cases à cocher qui énumèrent le PLIE) : trois lettres du nom.
    destinataire = page.get_by_label("Référents", exact=True)
    destinataire.press_sequentially(referent.last_name[:3], delay=50)
    choix = page.locator(f"#{destinataire.get_attribute('list')} option").first
    expect(choix).to_have_attribute("value", re.compile(re.escape(referent.get_full_name())))
    destinataire.fill(choix.get_attribute("value"))
    page.get_by_role("button", name="Diffuser").click()
    expect(page.locator("#statut-offre")).to_have_text("Diffusée")
    expect(page.locator("#diffusions")).to_contain_text(str(referent))
    url_offre = page.url

    # Le référent, dans sa propre session, voit l'offre diffusée et y propose la personne.
    contexte = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page_referent = contexte.new_page()
    se_connecter(page_referent, referent)
    page_referent.goto("/app/entreprises/offres/")
    page_referent.get_by_role("link", name="Maçon VRD").click()
    # Autocomplétion : trois lettres du nom, la liste reçoit la proposition, on la choisit.
    champ = page_referent.get_by_label("Personne accompagnée")
    champ.press_sequentially(parcours.participant.nom[:3], delay=50)
    proposition = page_referent.locator(f"#{champ.get_attribute('list')} option").first
    expect(proposition).to_have_attribute("value", re.compile(re.escape(personne)))
    champ.fill(proposition.get_attribute("value"))
    page_referent.get_by_role("button", name="Proposer").click()
    expect(page_referent.locator("#candidats")).to_contain_text(personne)
    contexte.close()

    page.goto("/app/entreprises/a-traiter/")
    expect(page.locator("#en-attente")).to_contain_text(personne)
    page.locator("#en-attente").get_by_role("link", name=personne).click()
    page.get_by_role("button", name="Candidature retenue").click()
    expect(page.locator("#statut-mise")).to_have_text("Retenue")
    page.get_by_label("Début *").fill(timezone.localdate().isoformat())
    page.get_by_label("Heures par semaine").fill("35")
    page.get_by_role("button", name="Enregistrer l'embauche").click()
    expect(page.locator("#statut-mise")).to_have_text("Embauche")
    mise = MiseEnRelation.objects.get()
    assert mise.statut == StatutMiseEnRelation.EMBAUCHE
    assert mise.contrat.employeur == "Bâtir Agenais" and mise.contrat.type == "cdd"
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_EMPLOI
    page.goto(url_offre)
    expect(page.locator("#statut-offre")).to_have_text("Pourvue")
    assert mise.offre.statut == StatutOffre.POURVUE
