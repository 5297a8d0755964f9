"""Parcours navigateur des tableaux de bord (issue 13, points 4 et 8) : la direction ouvre le
tableau de bord par le menu, filtre un territoire au clavier, exporte un tableau (le fichier a
les lignes de la page) ; le financeur se connecte et arrive sur son tableau de bord, sans aucun
nom de personne."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from demo.donnees import DEMO_PASSWORD
from parcours.core.models import PLIE, Territoire, User
from parcours.participants.models import Participant
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.demo_du_module import demo_par_test

pytestmark = pytest.mark.e2e


demo = demo_par_test()


def _se_connecter(page: Page, username: str):
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_la_direction_filtre_un_territoire_et_exporte_un_tableau(page: Page, demo):
    plie = PLIE.objects.get(code="agenais")
    territoire = Territoire.objects.filter(plie=plie).order_by("nom").first()
    direction = User.objects.get(username="direction.agenais")
    _se_connecter(page, direction.username)
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))

    page.get_by_role("link", name="Pilotage").first.click()
    expect(page).to_have_url(re.compile(rf"/app/pilotage/{plie.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Tableau de bord du PLIE — {plie.nom}"
    )
    expect(page.locator("#indicateur-entrees_par_mois svg title")).to_have_text("Entrées par mois")

    # Filtrer au clavier : choisir le territoire, puis Entrée sur le bouton.
    page.get_by_role("combobox", name="Territoire").select_option(str(territoire.pk))
    page.get_by_role("button", name="Afficher").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"territoire={territoire.pk}"))
    carte = page.locator("#indicateur-entrees_par_mois")
    montrees = [
        [c.strip() for c in ligne.split("\t")]
        for ligne in carte.locator("tbody tr").all_inner_texts()
    ]

    with page.expect_download() as telechargement:
        carte.get_by_role("link", name="CSV").click()
    fichier = telechargement.value
    assert re.fullmatch(r"indicateur-entrees_par_mois-\d{8}-\d{4}\.csv", fichier.suggested_filename)
    brut = Path(fichier.path()).read_bytes()
    assert brut.startswith("\ufeff".encode())
    entete, *lignes = list(csv.reader(io.StringIO(brut.decode("utf-8-sig")), delimiter=";"))
    assert entete == ["Mois", "Entrées"]
    assert lignes == montrees
    trace = Trace.objects.get(type=TypeTrace.EXPORT, user=direction, objet_type="indicateur")
    assert f"territoire={territoire.pk}" in trace.detail


def test_le_financeur_arrive_sur_son_tableau_de_bord_sans_nom(page: Page, demo):
    plie = PLIE.objects.get(code="agenais")
    _se_connecter(page, "financeur.agenais")
    expect(page).to_have_url(re.compile(rf"/app/pilotage/{plie.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Tableau de bord du financeur — {plie.nom}"
    )
    expect(page.get_by_text("Lecture seule")).to_be_visible()
    expect(page.locator("#indicateur-entrees_par_mois svg")).to_be_visible()
    texte = page.locator("main").inner_text()
    noms = set(Participant.objects.values_list("nom", flat=True))
    noms |= set(
        User.objects.filter(memberships__structure__plie=plie).values_list("last_name", flat=True)
    )
    assert not [nom for nom in noms if nom and re.search(rf"\b{re.escape(nom)}\b", texte)]
    expect(page.get_by_label("Référent")).to_have_count(0)
