"""Le tableau d'impact en fichiers : le classeur XLSX relu par openpyxl, le PDF relu par pypdf."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from parcours.clauses import rapports
from parcours.clauses.exports import (
    ENTIER,
    HEURES,
    TAUX,
    Colonne,
    Rapport,
    Tableau,
    format_valeur,
    rapport_pdf,
    rapport_xlsx,
)
from parcours.clauses.models import Marche
from tests.clauses.chantier_heures import Bilan
from tests.pdf import texte_pdf


@pytest.fixture
def impact(monde):
    bilan = Bilan(monde)
    marches = Marche.objects.filter(operation__donneur_ordre=bilan.donneur)
    return rapports.tableau_impact(bilan.donneur, marches)


def test_xlsx_cellules_attendues(impact):
    classeur = load_workbook(io.BytesIO(rapport_xlsx(impact)))
    assert classeur.sheetnames == [
        "Synthèse",
        "Par opération",
        "Par marché",
        "Par entreprise",
        "Publics",
        "Types de contrat",
        "Emploi après l'embauche",
    ]
    synthese = classeur["Synthèse"]
    assert synthese["A1"].value == "Tableau d'impact — Agen Habitat"
    assert synthese["A4"].value == "Cofinancé par l'Union européenne"
    valeurs = {
        ligne[0]: ligne[1] for ligne in synthese.iter_rows(min_row=6, values_only=True) if ligne[0]
    }
    assert valeurs["Heures d'insertion prévues"] == 1700
    assert valeurs["Heures d'insertion réalisées"] == 290
    assert valeurs["Taux de réalisation"] == pytest.approx(0.1706)
    assert valeurs["Personnes ayant travaillé"] == 2
    operations = list(classeur["Par opération"].iter_rows(values_only=True))
    assert operations == [
        (
            "Opération",
            "Marchés",
            "Heures prévues",
            "Heures réalisées",
            "Taux de réalisation",
            "Personnes",
        ),
        ("École Jules Ferry", 1, 200, 0, 0, 0),
        ("Résidence des Pins", 2, 1500, 290, pytest.approx(0.1933), 2),
        ("Total", 3, 1700, 290, pytest.approx(0.1706), 2),
    ]
    assert classeur["Par opération"]["E2"].number_format == "0.0%"
    assert classeur["Par opération"]["C2"].number_format == "#,##0.00"
    marches = list(classeur["Par marché"].iter_rows(min_row=2, max_col=1, values_only=True))
    assert marches == [("2025-BAT-001",), ("2025-BAT-002",), ("2025-BAT-003",)]
    publics = {ligne[0]: ligne[1:] for ligne in classeur["Publics"].iter_rows(values_only=True)}
    assert publics["Femmes"] == (1, 200, pytest.approx(0.6897))
    contrats = list(classeur["Types de contrat"].iter_rows(min_row=2, values_only=True))
    assert contrats == [("CDD", 2), ("Entreprise de travail temporaire d'insertion (ETTI)", 1)]


def test_xlsx_sans_donnee_personnelle(impact, monde):
    classeur = load_workbook(io.BytesIO(rapport_xlsx(impact)))
    texte = " ".join(
        str(v) for f in classeur.worksheets for r in f.iter_rows(values_only=True) for v in r if v
    )
    assert "Lina" not in texte
    assert "Sam" not in texte
    assert "P0" not in texte


def test_pdf_texte(impact):
    contenu = rapport_pdf(impact)
    assert contenu.startswith(b"%PDF")
    texte = texte_pdf(contenu)
    assert "Cofinancé par l'Union européenne" in texte
    assert "Tableau d'impact — Agen Habitat" in texte
    assert "PLIE Test Agenais" in texte
    assert "Heures d'insertion réalisées 290,00" in texte
    assert "Taux de réalisation 17,1 %" in texte
    assert "Résidence des Pins 2 1 500,00 290,00 19,3 % 2" in texte
    assert "2025-BAT-003" in texte
    assert "Lina" not in texte


def test_noms_de_feuille_uniques_et_courts():
    rapport = Rapport(titre="T", sous_titre="", plie=type("P", (), {"nom": "PLIE"})())
    colonnes = [Colonne("a"), Colonne("n", ENTIER)]
    rapport.tableaux = [
        Tableau("Un titre beaucoup trop long pour une feuille: [x]", colonnes, [("x", 1)]),
        Tableau("Un titre beaucoup trop long pour une feuille: [x]", colonnes, []),
    ]
    noms = load_workbook(io.BytesIO(rapport_xlsx(rapport))).sheetnames
    assert noms == [
        "Synthèse",
        "Un titre beaucoup trop long pou",
        "Un titre beaucoup trop long (2)",
    ]


@pytest.mark.parametrize(
    ("valeur", "fmt", "texte"),
    [
        (Decimal("1700"), HEURES, "1\u202f700,00"),
        (Decimal("0.1706"), TAUX, "17,1\u00a0%"),
        (12345, ENTIER, "12\u202f345"),
        (None, TAUX, "—"),
    ],
)
def test_format_valeur(valeur, fmt, texte):
    assert format_valeur(valeur, fmt) == texte


def test_telechargements_depuis_l_ecran(client, monde):
    from django.urls import reverse

    bilan = Bilan(monde)
    client.force_login(bilan.facilitateur)
    xlsx = client.get(reverse("clauses:impact_xlsx", args=[bilan.donneur.pk]), {"debut": "2025-05"})
    assert xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx["Content-Disposition"].startswith('attachment; filename="tableau-impact-')
    classeur = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    valeurs = {ligne[0]: ligne[1] for ligne in classeur["Synthèse"].iter_rows(values_only=True)}
    assert valeurs["Heures d'insertion réalisées"] == 190  # mai et juin : 80 + 20 + 50 + 40
    pdf = client.get(reverse("clauses:impact_pdf", args=[bilan.donneur.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    texte = texte_pdf(pdf.content)
    assert "Cofinancé par l'Union européenne" in texte
    assert "Heures d'insertion réalisées 290,00" in texte
