"""Parcours navigateur de la reprise depuis l'écran (issue 14) : l'administrateur du PLIE dépose
un export dont une ligne est refusée (aperçu refusé, chaque refus affiché, rien enregistré),
le corrige, voit l'aperçu, confirme ; la reprise part en tâche de fond (seuil à 0) : la page du
travail l'attend, la passe périodique l'exécute, la page montre alors le rapport, qu'il
télécharge ; confirmer une seconde fois le même aperçu est refusé."""

import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from parcours.core.enums import Role
from parcours.reprise.models import Provenance
from tests.conftest import Monde
from tests.e2e.navigateur import message, se_connecter
from tests.reprise.export import COLONNES_PARCOURS, COLONNES_PARTICIPANTS, ecrire_csv, generer

pytestmark = pytest.mark.e2e


@pytest.fixture
def monde_reprise(transactional_db, settings):
    settings.PLIE_REPRISE_SEUIL_FOND = 0  # toute confirmation en tâche de fond
    monde = Monde()
    return monde, monde.user(Role.ADMIN), monde.user(Role.REFERENT)


def _export(dossier, referent, statut_fautif=None):
    personnes, dossiers = generer(12, referents=(referent.username,))
    if statut_fautif:
        dossiers[2]["Statut"] = statut_fautif
    dossier.mkdir(exist_ok=True)
    ecrire_csv(dossier / "participants.csv", COLONNES_PARTICIPANTS, personnes)
    ecrire_csv(dossier / "parcours.csv", COLONNES_PARCOURS, dossiers)
    return [str(dossier / "participants.csv"), str(dossier / "parcours.csv")]


def _deposer(page: Page, plie, fichiers):
    page.goto(f"/app/administration/{plie.code}/reprise/")
    page.get_by_label("Fichiers de l'export").set_input_files(fichiers)
    page.get_by_label(re.compile(r"^Correspondance")).select_option("viesion")
    page.get_by_role("button", name="Voir l'aperçu").click()


def test_reprise_refusee_puis_corrigee_apercu_confirmation_rapport(
    page: Page, monde_reprise, tmp_path
):
    monde, admin, referent = monde_reprise
    se_connecter(page, admin)

    # 1. Une ligne au statut inconnu : l'aperçu est refusé, la ligne est nommée, rien n'est gardé.
    _deposer(page, monde.plie1, _export(tmp_path / "fautif", referent, "En attente DIRECCTE"))
    expect(
        page.get_by_role("heading", name="Reprise refusée : rien n'a été enregistré")
    ).to_be_visible()
    refus = page.locator("#refus tbody tr")
    expect(refus).to_have_count(1)
    expect(refus.first).to_contain_text("parcours.csv")
    expect(refus.first).to_contain_text("Statut")
    expect(refus.first).to_contain_text("valeur « En attente DIRECCTE » sans correspondance")
    expect(page.get_by_role("button", name="Confirmer la reprise")).to_have_count(0)
    assert Provenance.objects.count() == 0

    # 2. Corrigé : l'aperçu compte sans rien enregistrer.
    page.get_by_role("link", name="déposez-le à nouveau").click()
    _deposer(page, monde.plie1, _export(tmp_path / "corrige", referent))
    expect(
        page.get_by_role("heading", name="Aperçu : contrôle sans enregistrement")
    ).to_be_visible()
    comptes = page.locator("#comptes tbody tr")
    expect(comptes.filter(has_text="Participants").locator("td").nth(1)).to_have_text("12")
    assert Provenance.objects.count() == 0
    adresse_apercu = page.url

    # 3. Confirmation : la reprise des mêmes fichiers part en tâche de fond ; la page du travail
    # attend (rafraîchie seule, ou par « Actualiser »), rien n'est encore en base.
    page.get_by_role("button", name="Confirmer la reprise").click()
    expect(message(page)).to_contain_text("Reprise lancée en tâche de fond")
    expect(page.get_by_role("heading", name="Reprise en attente")).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
    assert Provenance.objects.count() == 0
    # La passe périodique (config/run.py) prend le travail et l'exécute.
    call_command("executer_reprises", stdout=io.StringIO())
    page.get_by_role("link", name="Actualiser").click()
    expect(page.get_by_role("heading", name="Reprise enregistrée")).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    expect(page.locator("#travail")).to_contain_text("Lancée par")
    expect(comptes.filter(has_text="Participants").locator("td").nth(1)).to_have_text("12")
    assert Provenance.objects.filter(entite="participant").count() == 12

    # 4. Le rapport en classeur.
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le rapport (XLSX)").click()
    chemin = tmp_path / telechargement.value.suggested_filename
    telechargement.value.save_as(chemin)
    assert chemin.suffix == ".xlsx"
    classeur = load_workbook(chemin)
    assert ("Participants", 12, 0, 0, 0) in list(classeur["Comptes"].iter_rows(values_only=True))

    # 5. Le même aperçu confirmé une seconde fois (onglet resté ouvert) : refusé, rien de plus.
    page.goto(adresse_apercu)
    expect(page.get_by_role("button", name="Confirmer la reprise")).to_have_count(0)
    jeton = re.search(r"/reprise/([^/]+)/$", adresse_apercu).group(1)
    jeton_csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    reponse = page.request.post(
        f"/app/administration/{monde.plie1.code}/reprise/{jeton}/confirmer/",
        headers={"X-CSRFToken": jeton_csrf},
    )
    assert "Cet aperçu a déjà servi" in reponse.text()
    assert Provenance.objects.filter(entite="participant").count() == 12
