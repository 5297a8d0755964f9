"""Parcours navigateur de la liste des participants (issue 12, point 3) : l'animateur cherche
une personne par son numéro, puis avec une faute de frappe, filtre, trie, et exporte la liste
en CSV ; le fichier téléchargé contient exactement les lignes montrées."""

import csv
import io
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from demo.donnees import DEMO_PASSWORD
from parcours.accompagnement.models import Parcours
from parcours.core.models import User
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
    expect(page).to_have_url(re.compile(r"/app/accueil/$"))


def _une_faute(nom: str) -> str:
    """Le nom sans sa quatrième lettre (« Lambert » → « Lamert »)."""
    return nom[:3] + nom[4:]


def test_animateur_cherche_par_numero_puis_avec_une_faute_et_exporte(page: Page, demo):
    animateur = User.objects.get(username="animateur.agenais")
    visibles = Parcours.objects.filter(plie__code="agenais").select_related("participant")
    # Une personne du PLIE dont le nom, amputé d'une lettre, n'est contenu dans aucun nom.
    cible = next(
        p.participant
        for p in visibles.order_by("pk")
        if len(p.participant.nom) >= 6
        and not Participant.objects.recherche(_une_faute(p.participant.nom)).exists()
    )

    _se_connecter(page, animateur.username)
    page.goto("/app/participants/")
    titre = page.get_by_role("heading", level=2, name=re.compile("^Participants"))
    recherche = page.get_by_role("searchbox", name="Rechercher par nom")
    lignes = page.locator("#liste-participants tbody tr")

    # 1. Par numéro, tel qu'affiché (P000041) puis en chiffres seuls.
    for saisie in (cible.numero, str(cible.pk)):
        recherche = page.get_by_role("searchbox", name="Rechercher par nom")
        recherche.fill(saisie)
        recherche.press("Enter")
        expect(page).to_have_url(re.compile("[?]" + re.escape(urlencode({"q": saisie})) + "&"))
        expect(titre).to_have_text("Participants — 1")
        expect(lignes.locator("td:nth-child(1)")).to_have_text([cible.numero])

    # 2. Avec une faute : la personne est parmi les noms proches.
    faute = _une_faute(cible.nom)
    recherche = page.get_by_role("searchbox", name="Rechercher par nom")
    recherche.fill(faute)
    recherche.press("Enter")
    expect(page).to_have_url(re.compile("[?]" + re.escape(urlencode({"q": faute})) + "&"))
    expect(page.locator("#recherche-approchee")).to_contain_text(faute.lower())
    assert cible.numero in lignes.locator("td:nth-child(1)").all_inner_texts()

    # 3. Un filtre inconnu dans l'adresse : ignoré, dit, jamais une erreur.
    page.goto("/app/participants/?statut=inconnu&tri=nom")
    expect(page.get_by_text("État « inconnu » inconnu : filtre ignoré.")).to_be_visible()

    # 4. Trier par nom décroissant (lien d'en-tête), puis exporter ce que la liste montre.
    page.goto("/app/participants/")
    page.locator("#liste-participants thead").get_by_role("link", name=re.compile("^Nom")).click()
    expect(page).to_have_url(re.compile(r"tri=-nom"))
    montres = lignes.locator("td:nth-child(1)").all_inner_texts()
    with page.expect_download() as telechargement:
        page.locator("#export-csv").click()
    fichier = telechargement.value
    assert re.fullmatch(r"participants-\d{8}-\d{4}\.csv", fichier.suggested_filename)
    brut = Path(fichier.path()).read_bytes()
    assert brut.startswith("\ufeff".encode())
    entete, *exportees = list(csv.reader(io.StringIO(brut.decode("utf-8-sig")), delimiter=";"))
    assert entete[:3] == ["N°", "Nom", "Prénom"]
    assert len(exportees) == visibles.values("participant").distinct().count()
    assert [ligne[0] for ligne in exportees[: len(montres)]] == montres
    trace = Trace.objects.get(type=TypeTrace.EXPORT, user=animateur)
    assert trace.detail == f"CSV ; filtres : tri=-nom ; {len(exportees)} ligne(s)"
