"""Lecture et contrôle de forme des fichiers d'heures (sans la base) : CSV `;` avec ou sans BOM,
virgule décimale, Windows-1252, XLSX ; une erreur par problème, avec son numéro de ligne."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from parcours.clauses.heures import (
    FichierIllisible,
    Personne,
    interpreter,
    lire_fichier,
    lire_heures,
)

ENTETE = "marche;siret;personne;mois;heures\r\n"
SIRET = "73282932000074"


def csv_bytes(*lignes, bom=True, encodage="utf-8"):
    texte = ENTETE + "".join(f"{ligne}\r\n" for ligne in lignes)
    return ("\ufeff" if bom else "").encode(encodage) + texte.encode(encodage)


def xlsx_bytes(rangees):
    classeur = Workbook()
    feuille = classeur.active
    for rangee in rangees:
        feuille.append(rangee)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


@pytest.mark.parametrize("bom", [True, False])
def test_csv_utf8_avec_ou_sans_bom_et_virgule_decimale(bom):
    lignes = lire_fichier(csv_bytes(f"M-01;{SIRET};P000012;2026-03;151,67", bom=bom), "h.csv")
    assert [ligne.numero for ligne in lignes] == [2]
    ligne, erreurs = interpreter(lignes[0])
    assert erreurs == []
    assert ligne.marche == "M-01"
    assert ligne.siret == SIRET
    assert ligne.personne == Personne("participant", 12)
    assert ligne.mois == datetime.date(2026, 3, 1)
    assert ligne.heures == Decimal("151.67")


def test_csv_windows_1252_accents_lus():
    contenu = csv_bytes(f"Marché-é;{SIRET};EXT-000004;2026-03;10", bom=False, encodage="cp1252")
    ligne, erreurs = interpreter(lire_fichier(contenu, "h.csv")[0])
    assert erreurs == []
    assert ligne.marche == "Marché-é"
    assert ligne.personne == Personne("externe", 4)


def test_xlsx_nombres_et_dates_de_tableur():
    contenu = xlsx_bytes(
        [
            ["Marche", "SIRET", "personne", "mois", "heures"],
            ["M-01", 1234567400019, "P000003", datetime.datetime(2026, 4, 1), 35.5],
            [None, None, None, None, None],
            ["M-01", SIRET, 7, "2026-05", 20],
        ]
    )
    lignes = lire_fichier(contenu, "heures.xlsx")
    assert [ligne.numero for ligne in lignes] == [2, 4]  # la ligne vide est sautée, pas renumérotée
    assert lignes[0].valeurs["siret"] == "01234567400019"  # zéro de tête rendu
    premiere, _ = interpreter(lignes[0])
    assert premiere.mois == datetime.date(2026, 4, 1)
    assert premiere.heures == Decimal("35.50")
    seconde, erreurs = interpreter(lignes[1])
    assert erreurs == []
    assert seconde.personne == Personne("participant", 7)
    assert seconde.heures == Decimal(20)


def test_colonnes_manquantes_refusent_le_fichier():
    with pytest.raises(FichierIllisible, match="colonnes manquantes : siret, heures"):
        lire_fichier(b"marche;personne;mois\r\nM;P1;2026-01\r\n", "h.csv")


def test_separateur_virgule_explique():
    with pytest.raises(FichierIllisible, match="séparateur attendu"):
        lire_fichier(b"marche,siret,personne,mois,heures\r\n", "h.csv")


def test_fichier_vide():
    with pytest.raises(FichierIllisible, match="vide"):
        lire_fichier(b"", "h.csv")


def test_xlsx_illisible():
    with pytest.raises(FichierIllisible, match="XLSX illisible"):
        lire_fichier(b"PK\x03\x04pas un zip", "h.xlsx")


def test_toutes_les_erreurs_de_la_ligne_sont_rendues():
    lignes = lire_fichier(csv_bytes(";12345678901234;Jean;03/2026;douze"), "h.csv")
    ligne, erreurs = interpreter(lignes[0])
    assert ligne is None
    assert [str(e) for e in erreurs] == [
        "ligne 2 : marché : valeur manquante",
        "ligne 2 : SIRET « 12345678901234 » : SIRET invalide : la clé de contrôle ne correspond "
        "pas (vérifiez une faute de frappe).",
        "ligne 2 : personne « Jean » : ni un numéro de participant (P000123) ni un candidat "
        "externe (EXT-000123)",
        "ligne 2 : mois « 03/2026 » : format attendu AAAA-MM (ex. 2026-03), de 1900 à 2100",
        "ligne 2 : heures « douze » : pas un nombre d'heures (ex. 151,5)",
    ]


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("0", (Decimal("0.00"), "")),
        ("151,67", (Decimal("151.67"), "")),
        ("1 50", (Decimal("150.00"), "")),
        ("250", (Decimal("250.00"), "")),
        ("250,01", (None, "plus de 250 h dans le mois pour une personne")),
        ("312", (None, "plus de 250 h dans le mois pour une personne")),
        ("-3", (None, "nombre d'heures négatif")),
        ("12,345", (None, "au plus deux décimales")),
        ("NaN", (None, "pas un nombre d'heures (ex. 151,5)")),
        ("Infinity", (None, "pas un nombre d'heures (ex. 151,5)")),
        ("1,2,3", (None, "pas un nombre d'heures (ex. 151,5)")),
    ],
)
def test_heures(texte, attendu):
    assert lire_heures(texte) == attendu


def test_message_heures_absurdes():
    lignes = lire_fichier(csv_bytes(f"M;{SIRET};P1;2026-01;1", f"M;{SIRET};P2;2026-01;312"), "")
    _, erreurs = interpreter(lignes[1])
    assert [str(e) for e in erreurs] == [
        "ligne 3 : heures « 312 » : plus de 250 h dans le mois pour une personne"
    ]


@pytest.mark.parametrize("mois", ["2026-13", "2026-00", "26-01", "2026/01", "0000-01", "2101-01"])
def test_mois_invalides(mois):
    lignes = lire_fichier(csv_bytes(f"M;{SIRET};P1;{mois};1"), "h.csv")
    _, erreurs = interpreter(lignes[0])
    assert [str(e) for e in erreurs] == [
        f"ligne 2 : mois « {mois} » : format attendu AAAA-MM (ex. 2026-03), de 1900 à 2100"
    ]
