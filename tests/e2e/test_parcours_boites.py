"""Parcours navigateur de la boîte du référent, sur les données de démonstration (issue 12).

Connexion → résumé « en retard / aujourd'hui / cette semaine » → tâches groupées par personne,
chacune disant ce qu'elle est → filtre par type (seulement les types du référent) et par
échéance, une valeur inconnue ignorée avec un message → un entretien enregistré depuis le dossier
ferme l'alerte tout de suite → un rôle sans tâches (donneur d'ordre) a une page utile, sans filtre
vide ; le financeur, lui, arrive sur son tableau de bord (test_parcours_tableaux_de_bord.py).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from demo.donnees import DEMO_PASSWORD
from tests.demo_du_module import demo_par_test
from workflows.alertes import verifier_alertes

pytestmark = pytest.mark.e2e


demo_chargee = demo_par_test()


@pytest.fixture
def demo(demo_chargee):
    verifier_alertes()


def connexion(page: Page, identifiant: str):
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(identifiant)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))


def test_la_boite_du_referent_se_lit_comme_une_liste(page: Page, demo):
    connexion(page, "referent.agenais")
    resume = page.locator("#resume-taches")
    for periode in ("En retard", "Aujourd'hui", "Cette semaine"):
        expect(resume).to_contain_text(periode)
    boite = page.locator("#mes-taches")
    # Groupées par personne : un en-tête par personne avec son nombre de tâches.
    groupes = boite.locator("tbody")
    expect(groupes.first.get_by_role("rowheader")).to_contain_text(re.compile(r"\d+ tâches?"))
    expect(boite).not_to_contain_text("Traiter l'alerte")
    entretien_du = re.compile("^Entretien mensuel dû — ")
    expect(boite.get_by_role("link", name=entretien_du).first).to_be_visible()
    noms = [groupes.nth(i).get_by_role("rowheader").inner_text() for i in range(groupes.count())]
    assert len(noms) == len(set(noms)), "une personne n'apparaît qu'une fois"

    # Le filtre « type » ne propose que les types du référent ; on garde les alertes.
    options = page.get_by_label("Type").locator("option")
    libelles = options.all_inner_texts()
    assert "Prescription — Vérifier la recevabilité" not in " ".join(libelles)
    page.get_by_label("Type").select_option(label="Alerte de suivi — Traiter l'alerte")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"type=AlerteFlow.traiter"))
    titres = boite.locator("tbody td:first-child a").all_inner_texts()
    assert titres and all(
        re.match(
            r"^(Entretien mensuel dû|Sans contact depuis|Aucune étape depuis|Parcours de "
            r"plus de|RQTH|Questionnaire FSE|Données FSE)",
            t,
        )
        for t in titres
    ), titres
    expect(page.get_by_role("link", name="Tout voir")).to_be_visible()

    # Une échéance inconnue écrite à la main : ignorée, et l'écran le dit.
    page.goto("/app/accueil/?quand=demain")
    expect(page.locator("#filtres-ignores")).to_have_text("Filtre ignoré : échéance inconnue.")

    # Un entretien enregistré depuis le dossier : l'alerte d'entretien se ferme aussitôt.
    page.goto("/app/accueil/?type=AlerteFlow.traiter")
    groupe = boite.locator("tbody").filter(has=page.get_by_role("link", name=entretien_du)).first
    personne = groupe.get_by_role("rowheader").get_by_role("link")
    nom = personne.inner_text()
    dossier = re.search(r"/(\d+)/$", personne.get_attribute("href")).group(1)
    page.goto(f"/app/suivi/parcours/{dossier}/entretiens/nouveau/")
    page.get_by_label("Canal").select_option("physique_individuel")
    page.get_by_label("Présence").select_option("present")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    page.goto("/app/accueil/?type=AlerteFlow.traiter")
    restantes = boite.locator("tbody").filter(has_text=nom)
    # Le dossier et la boîte concordent sans attendre la passe périodique : ni l'entretien
    # mensuel ni l'absence de contact ne sont plus dus.
    expect(restantes.get_by_role("link", name=entretien_du)).to_have_count(0)
    expect(restantes.get_by_role("link", name=re.compile("^Sans contact depuis"))).to_have_count(0)


def test_un_role_sans_taches_a_une_page_utile(page: Page, demo):
    connexion(page, "donneur-ordre.agenais")
    expect(page.locator("#sans-taches")).to_contain_text("Aucune tâche ne vous est adressée")
    expect(page.get_by_label("Type")).to_have_count(0)
    expect(page.locator("#contacts-animation").get_by_role("link").first).to_have_attribute(
        "href", re.compile("^mailto:")
    )
