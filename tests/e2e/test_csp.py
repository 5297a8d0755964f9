"""Les pages marchent sous la Content-Security-Policy (docs/securite.md).

Sur la démo, chaque rôle se connecte par le formulaire et ouvre ses pages principales (accueil,
listes, dossier, séance de commission, formulaire de tâche, clauses, entreprises), en navigation
complète et par les liens (Turbo) ; une confirmation (`data-turbo-confirm`) s'affiche. Aucune
violation de la politique (`securitypolicyviolation`), aucun message de la console, aucune
erreur JavaScript. La page de connexion suspendue aussi.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from demo.donnees import DEMO_PASSWORD
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.clauses.models import DonneurOrdre, Marche, Positionnement
from parcours.commissions.models import SessionCommission
from parcours.entreprises.models import Entreprise, OffreEmploi
from tests.demo_du_module import demo_par_test
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PLIE = "agenais"

ECOUTE_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.violationCSP(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


# Comme `make run` : dossiers, puis tâches dans chaque boîte et une séance par PLIE.
demo = demo_par_test(complete=True)


@pytest.fixture
def incidents(page: Page):
    """Violations CSP, messages de la console, erreurs JavaScript ; avec la page où ils sont nés."""
    releves = []
    page.context.expose_function(
        "violationCSP", lambda texte: releves.append(("CSP", page.url, texte))
    )
    page.context.add_init_script(ECOUTE_CSP)
    page.on("console", lambda m: releves.append((f"console.{m.type}", page.url, m.text)))
    page.on("pageerror", lambda e: releves.append(("erreur JS", page.url, str(e))))
    return releves


def se_connecter(page: Page, identifiant: str):
    # Quitter d'abord la page du compte précédent : une requête encore en vol de cette page
    # (rendue avec un jeton CSRF) réécrirait le cookie CSRF de la page de connexion et la
    # connexion serait refusée (403), d'autant plus souvent que la machine est chargée.
    page.goto("about:blank")
    page.context.clear_cookies()
    visiter(page, reverse("login"))
    page.get_by_label("Identifiant").fill(f"{identifiant}.{PLIE}")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))


def visiter(page: Page, url: str):
    reponse = page.goto(url)
    assert reponse is not None and reponse.status == 200, url
    # La page est bien servie sous la politique (sinon, aucune violation ne prouverait rien).
    assert "object-src 'none'" in reponse.headers.get("content-security-policy", ""), url
    # `goto` rend la main à l'événement « load » : scripts, styles et images chargés (une
    # violation CSP serait déjà levée) ; pas d'attente de « networkidle » (500 ms par page).
    page.wait_for_load_state("load")


def premier(queryset):
    objet = queryset.order_by("pk").first()
    assert objet is not None, f"la démo doit contenir : {queryset.model.__name__}"
    return objet


def pages_par_role():
    dossier = premier(
        Parcours.objects.filter(
            plie__code=PLIE, referent__username=f"referent.{PLIE}", statut=Statut.EN_ACCOMPAGNEMENT
        )
    )
    en_emploi = premier(Parcours.objects.filter(plie__code=PLIE, statut=Statut.EN_EMPLOI))
    seance = premier(SessionCommission.objects.filter(plie__code=PLIE).ouvertes())
    marche = premier(Marche.objects.filter(plie__code=PLIE))
    candidature = premier(Positionnement.objects.filter(besoin__marche__plie__code=PLIE))
    entreprise = premier(Entreprise.objects.filter(plie__code=PLIE))
    offre = premier(OffreEmploi.objects.filter(entreprise__plie__code=PLIE))
    donneur = premier(DonneurOrdre.objects.filter(plie__code=PLIE))
    return {
        "referent": [
            "/app/participants/",
            f"/app/participants/{dossier.participant_id}/",
            f"/app/participants/parcours/{dossier.pk}/",
            f"/app/suivi/parcours/{dossier.pk}/etapes/",
            f"/app/suivi/parcours/{dossier.pk}/entretiens/nouveau/",
        ],
        "animateur": [
            "/app/commissions/",
            f"/app/commissions/{seance.pk}/",
            "/app/participants/prescrire/",
            f"/app/emploi/{en_emploi.pk}/contrats/",
            "/app/suivi/portefeuilles/",
        ],
        "facilitateur": [
            "/app/clauses/",
            "/app/clauses/operations/",
            f"/app/clauses/marches/{marche.pk}/",
            f"/app/clauses/candidatures/{candidature.pk}/",
            "/app/clauses/heures/",
            "/app/clauses/bilans/",
            "/app/clauses/bilans/tableau-de-bord/",
            f"/app/clauses/bilans/impact/{donneur.pk}/",
        ],
        "cre": [
            "/app/entreprises/",
            f"/app/entreprises/{entreprise.pk}/",
            f"/app/entreprises/offres/{offre.pk}/",
            "/app/entreprises/a-traiter/",
            "/app/entreprises/indicateurs/",
        ],
        "commission": [f"/app/commissions/{seance.pk}/"],
    }


def test_les_pages_de_chaque_role_respectent_la_csp(page: Page, demo, incidents):
    for role, urls in pages_par_role().items():
        se_connecter(page, role)
        page.wait_for_load_state("networkidle")
        for url in urls:
            visiter(page, url)
        # Par les liens (Turbo) : l'accueil, puis la première tâche de « Mes tâches ».
        page.get_by_role("link", name="Accueil").first.click()
        expect(page).to_have_url(re.compile(r"/app/accueil/$"))
        taches = page.locator("#mes-taches tbody td:first-child a")
        if role == "referent":
            expect(taches.first).to_be_visible()
        if taches.count():
            taches.first.click()
            page.wait_for_load_state("networkidle")
            expect(page.get_by_role("main").locator("form").first).to_be_visible()
    verifier_une_confirmation(page)
    assert incidents == []


def verifier_une_confirmation(page: Page):
    """Plus de `onclick="return confirm(…)"` (bloqué) : `data-turbo-confirm` sur le bouton."""
    dossier = premier(Parcours.objects.filter(plie__code=PLIE, statut=Statut.EN_EMPLOI))
    contrats = dossier.contrats.count()
    page.on("dialog", lambda dialogue: dialogue.dismiss())
    se_connecter(page, "animateur")
    visiter(page, f"/app/emploi/{dossier.pk}/contrats/")
    formulaire = page.locator("#form-contrat")
    formulaire.get_by_label("Type de contrat").select_option(label="CDI")
    formulaire.get_by_label("Employeur (ou agence d'intérim)").fill("Boulangerie Martin")
    with page.expect_event("dialog") as dialogue:
        formulaire.get_by_role("button", name="Enregistrer le contrat").click()
    assert dialogue.value.message == "Enregistrer ce contrat ?"
    page.wait_for_load_state("networkidle")
    assert dossier.contrats.count() == contrats


def test_la_page_de_connexion_suspendue_respecte_la_csp(page: Page, transactional_db, incidents):
    user = UserFactory()
    page.goto(reverse("login"))
    for _ in range(5):
        page.get_by_label("Identifiant").fill(user.username)
        page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Trop de tentatives de connexion échouées")
    page.wait_for_load_state("networkidle")
    # Le 429 de la page suspendue est un refus voulu, pas un incident de la page.
    assert [i for i in incidents if "429" not in i[2]] == []
