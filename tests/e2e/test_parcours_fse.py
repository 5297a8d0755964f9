"""Parcours navigateur de l'export Ma Démarche FSE (issue 13, point 8).

L'animation du PLIE ouvre le menu « FSE+ », choisit l'opération d'accompagnement, lance le
contrôle des entrées : une participante a un questionnaire incomplet → le lien mène à son
questionnaire, l'animatrice le complète → le contrôle ne trouve plus rien → le fichier est
téléchargé et relu. Le financeur de l'opération la voit ensuite, en chiffres, sans aucun nom.
"""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from parcours.accompagnement.models import QuestionnaireFSE
from parcours.core.enums import Role
from tests.conftest import Monde
from tests.e2e.navigateur import se_connecter
from tests.fse.conftest import Operations

pytestmark = pytest.mark.e2e


@pytest.fixture
def monde_fse(transactional_db):
    monde = Monde()
    operations = Operations(monde)
    operations.engage(nom="Martin", prenom="Paul")
    incomplete = operations.engage(nom="Durand", prenom="Léa")
    QuestionnaireFSE.objects.filter(parcours=incomplete).update(diplome_dgefp="")
    return monde, operations


def test_export_fse_apres_correction_puis_le_financeur(page: Page, monde_fse):
    monde, operations = monde_fse
    # L'animation du PLIE (qui suit les parcours : elle peut rectifier le questionnaire).
    se_connecter(page, monde.user(Role.ANIMATEUR))
    page.goto("/app/fse/")
    page.get_by_role("link", name="Accompagnement A").click()
    expect(page.get_by_role("heading", name="202100001 — Accompagnement A")).to_be_visible()

    aujourdhui = timezone.localdate()
    page.get_by_label("Du", exact=True).fill(f"{aujourdhui - datetime.timedelta(days=30)}")
    page.get_by_label("Au", exact=True).fill(f"{aujourdhui}")
    page.get_by_role("button", name="Contrôler").click()
    anomalies = page.locator("#anomalies")
    expect(anomalies).to_contain_text("DURAND Léa")
    expect(anomalies).not_to_contain_text("MARTIN")
    anomalies.get_by_role("link", name=re.compile("plus haut niveau de diplôme")).click()

    expect(
        page.get_by_role("heading", name=re.compile("Questionnaire FSE\\+ — DURAND"))
    ).to_be_visible()
    page.get_by_label("Plus haut niveau de diplôme", exact=True).select_option(value="2b")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="202100001 — Accompagnement A")).to_be_visible()

    page.get_by_label("Du", exact=True).fill(f"{aujourdhui - datetime.timedelta(days=30)}")
    page.get_by_label("Au", exact=True).fill(f"{aujourdhui}")
    page.get_by_role("button", name="Contrôler").click()
    expect(page.locator("#resume-controle")).to_contain_text("Aucune anomalie")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter le fichier").click()
    texte = Path(telechargement.value.path()).read_text(encoding="utf-8")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert [ligne[2] for ligne in lignes[1:]] == ["MARTIN", "DURAND"]
    assert lignes[2][lignes[0].index("q2_diplome")] == "2b"
    page.reload()
    expect(page.locator("#exports")).to_contain_text("2")

    se_connecter(page, operations.financeur())
    page.goto("/app/fse/")
    expect(page.locator("#liste-operations-fse")).to_contain_text("Accompagnement A")
    expect(page.locator("#liste-operations-fse")).not_to_contain_text("Accompagnement B")
    page.get_by_role("link", name="Accompagnement A").click()
    expect(page.locator("#chiffres-operation")).to_contain_text("2")
    expect(page.get_by_role("main")).not_to_contain_text("DURAND")
    expect(page.get_by_role("main")).not_to_contain_text("Martin")
