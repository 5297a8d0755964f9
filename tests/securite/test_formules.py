"""Injection de formule : un nom saisi qui commence par `=`, `+`, `-`, `@`, une tabulation ou un
retour chariot sort en texte (préfixé d'une apostrophe) dans chaque fichier exporté."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parcours.clauses.models import Marche, Operation
from parcours.core.exports import neutraliser
from parcours.entreprises.models import Entreprise
from tests.clauses.chantier_heures import Bilan

HYPERLIEN = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "texte", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\t=1", "\r=1", HYPERLIEN, "=", "-"]
)
def test_texte_qui_commencerait_une_formule(texte):
    assert neutraliser(texte) == "'" + texte


@pytest.mark.parametrize(
    "valeur",
    ["Agen Habitat", "1+1", " =1", "", None, -3, 2.5, Decimal("-1.5"), datetime.date(2025, 1, 1)],
)
def test_le_reste_est_rendu_tel_quel(valeur):
    assert neutraliser(valeur) == valeur


@pytest.fixture
def bilan(db, monde):
    bilan = Bilan(monde)
    Operation.objects.filter(pk=bilan.operation.pk).update(nom=HYPERLIEN)
    Entreprise.objects.filter(pk=bilan.attributaire.pk).update(raison_sociale="=1+1")
    Marche.objects.filter(pk=bilan.marche.pk).update(intitule="@SUM(1)")
    type(bilan.donneur).objects.filter(pk=bilan.donneur.pk).update(nom="-cmd|' /C calc'!A0")
    return bilan


def test_tableau_d_impact_xlsx_sans_formule(client, bilan):
    client.force_login(bilan.facilitateur)
    reponse = client.get(reverse("clauses:impact_xlsx", args=[bilan.donneur.pk]))
    classeur = load_workbook(io.BytesIO(b"".join(reponse.streaming_content)))
    cellules = [c for feuille in classeur for ligne in feuille.iter_rows() for c in ligne]
    assert [c.coordinate for c in cellules if c.data_type == "f"] == []
    textes = {c.value for c in cellules if c.data_type == "s"}
    for nom in (HYPERLIEN, "=1+1", "@SUM(1)", "-cmd|' /C calc'!A0"):
        assert "'" + nom in textes, nom
        assert nom not in textes
    # Les nombres restent des nombres.
    synthese = {ligne[0]: ligne[1] for ligne in classeur["Synthèse"].iter_rows(values_only=True)}
    assert synthese["Heures d'insertion réalisées"] == 290
