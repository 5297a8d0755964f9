"""Parcours navigateur du suivi par un référent, sur les données de démonstration.

Connexion → étapes d'un de ses dossiers → ajout d'une étape en cours (erreur de dates corrigée)
→ « preuve manquante » → dépôt de la preuve → absence injustifiée enregistrée → les deux relances
(courrier, appel) dans sa boîte de tâches → relance faite depuis la boîte.
"""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from demo.donnees import DEMO_PASSWORD
from parcours.accompagnement.chemins import PDF_MINIMAL
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Entretien, Parcours
from parcours.core.models import User
from tests.demo_du_module import demo_par_test

pytestmark = pytest.mark.e2e


demo = demo_par_test()


def test_referent_suit_un_dossier(page: Page, demo, tmp_path):
    referent = User.objects.get(username="referent.agenais")
    dossier = (
        Parcours.objects.filter(referent=referent, statut=Statut.EN_ACCOMPAGNEMENT)
        .order_by("pk")
        .first()
    )
    assert dossier is not None, "la démo doit donner au référent un dossier en accompagnement"

    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(referent.username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))

    # Étapes : une fin avant le début est refusée, le formulaire revient avec la saisie.
    page.goto(f"/app/suivi/parcours/{dossier.pk}/etapes/")
    expect(page.get_by_role("heading", name=re.compile("^Étapes de parcours"))).to_be_visible()
    page.get_by_label("Type d'étape").select_option("immersion-pmsmp")
    page.get_by_label("Intitulé").fill("Immersion agent d'entretien")
    page.get_by_label("Date de début").fill("2024-03-10")
    page.get_by_label("Date de fin").fill("2024-03-01")
    page.get_by_label("Statut").select_option("en_cours")
    page.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_role("alert").first).to_contain_text("ne peut pas précéder")
    expect(page.get_by_label("Intitulé")).to_have_value("Immersion agent d'entretien")
    page.get_by_label("Date de fin").fill("")
    page.get_by_role("button", name="Ajouter l'étape").click()
    expect(page.get_by_role("status")).to_contain_text("ajoutée")
    manque = page.locator("[data-preuve-manquante]")
    expect(manque).to_contain_text("Preuve manquante")

    # La preuve déposée, plus rien ne manque.
    page.get_by_role("link", name="Immersion agent d'entretien").click()
    fichier = tmp_path / "convention.pdf"
    fichier.write_bytes(PDF_MINIMAL)
    page.get_by_label("Type de preuve").select_option(index=0)
    page.get_by_label("Fichier").set_input_files(str(fichier))
    page.get_by_role("button", name="Déposer la preuve").click()
    expect(page.get_by_role("status")).to_contain_text("déposée")
    expect(page.locator("[data-preuve-manquante]")).to_have_count(0)
    # La preuve se relit par la vue des documents, sous un nom propre.
    with page.expect_download() as telechargement:
        page.locator("a[href^='/app/documents/preuve-etape/']").first.click()
    assert re.fullmatch(r"preuve-etape-\d+\.pdf", telechargement.value.suggested_filename)
    assert Path(telechargement.value.path()).read_bytes() == PDF_MINIMAL

    # Une absence injustifiée : deux relances dans la boîte du référent.
    page.goto(f"/app/suivi/parcours/{dossier.pk}/entretiens/nouveau/")
    page.get_by_label("Canal").select_option("physique_individuel")
    page.get_by_label("Présence").select_option("absent_injustifie")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Les relances prévues")
    page.goto("/app/accueil/")
    # Chaque relance dit ce qu'elle est et quelle absence l'a causée.
    relances = page.get_by_role("link", name=re.compile(" — absence du "))
    expect(relances).to_have_count(2)
    expect(relances.first).to_have_text(re.compile("^Envoyer un courrier — absence du "))
    relances.first.click()
    expect(page.get_by_role("heading", name=re.compile("^Envoyer un courrier"))).to_be_visible()
    page.get_by_label("Ce qui a été fait").fill("Courrier envoyé, rendez-vous proposé.")
    page.get_by_role("button", name="Relance faite").click()
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))
    expect(relances).to_have_count(1)
    assert Entretien.objects.filter(
        parcours=dossier, canal="courrier", date__date__lte=timezone.localdate()
    ).exists()
