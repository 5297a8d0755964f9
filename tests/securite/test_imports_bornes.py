"""Imports d'heures bornés : un fichier hostile (cellule démesurée, XLSX qui se décompresse en
centaines de milliers de lignes, milliers de lignes fautives) est refusé vite, avec un message en
français qui nomme la ligne, une page d'erreur petite, rien d'enregistré, jamais une erreur 500.
"""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from parcours.clauses.heures import lire_fichier, lire_personne
from parcours.clauses.heures.fichier import LIGNES_MAX, FichierIllisible
from parcours.clauses.models import HeuresRealisees
from tests.clauses.chantier_heures import Chantier, fichier_csv

ENTETE = "marche;siret;personne;mois;heures"


def xlsx(rangees) -> bytes:
    classeur = Workbook()
    for rangee in rangees:
        classeur.active.append(rangee)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def xlsx_bombe(lignes=400_000) -> bytes:
    """Un vrai classeur dont la feuille, réécrite, compte `lignes` lignes : ~1 Mo compressé,
    plusieurs dizaines de Mo une fois décompressé."""
    modele = zipfile.ZipFile(io.BytesIO(xlsx([["marche", "siret", "personne", "mois", "heures"]])))
    # Sans attribut r (facultatif), les lignes sont identiques : l'archive reste petite.
    rangees = '<row><c t="inlineStr"><is><t>M-01</t></is></c><c><v>35</v></c></row>' * lignes
    feuille = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>marche</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>siret</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>personne</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>mois</t></is></c>'
        '<c r="E1" t="inlineStr"><is><t>heures</t></is></c></row>'
        f"{rangees}</sheetData></worksheet>"
    )
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for membre in modele.infolist():
            contenu = modele.read(membre.filename)
            if membre.filename == "xl/worksheets/sheet1.xml":
                contenu = feuille.encode()
            archive.writestr(membre.filename, contenu)
    return sortie.getvalue()


# — Lecture, sans la base —


def test_cellule_csv_au_dela_de_la_limite_du_module_csv():
    contenu = f"{ENTETE}\r\nM-01;{'x' * 140_000};P1;2025-04;1\r\n".encode()
    with pytest.raises(FichierIllisible) as exc:
        lire_fichier(contenu, "h.csv")
    assert str(exc.value) == "ligne 2 : CSV illisible (cellule de plus de 131\u202f072 caractères)."


def test_cellule_plafonnee_bien_avant():
    contenu = f"{ENTETE}\r\nM-01;73282932000074;P1;2025-04;1\r\nM-02;{'9' * 5000};P1;2025-04;1"
    with pytest.raises(FichierIllisible) as exc:
        lire_fichier(contenu.encode(), "h.csv")
    assert str(exc.value) == (
        "ligne 3, colonne 2 : cellule de 5\u202f000 caractères (1\u202f000 au plus)."
    )


@pytest.mark.parametrize("cellule", ['"M\n01"', "M\x0001", "M\x1b01"])
def test_caracteres_de_controle_refuses(cellule):
    with pytest.raises(FichierIllisible, match="ligne 2, colonne 1 : caractère de contrôle"):
        lire_fichier(f"{ENTETE}\r\n{cellule};1;P1;2025-04;1\r\n".encode(), "h.csv")


def test_trop_de_lignes_csv():
    lignes = "".join("M-01;1;P1;2025-04;1\r\n" for _ in range(LIGNES_MAX + 1))
    with pytest.raises(FichierIllisible, match="Plus de 10\u202f000 lignes"):
        lire_fichier(f"{ENTETE}\r\n{lignes}".encode(), "h.csv")


def test_xlsx_decompresse_demesure_refuse_avant_lecture():
    bombe = xlsx_bombe()
    assert len(bombe) < 2 * 1024 * 1024  # passe la limite de taille du fichier envoyé
    debut = time.monotonic()
    with pytest.raises(FichierIllisible, match="Mo une fois décompressé"):
        lire_fichier(bombe, "bombe.xlsx")
    assert time.monotonic() - debut < 2


def test_xlsx_lu_en_flux_et_arrete_a_la_premiere_ligne_de_trop():
    contenu = xlsx_bombe(lignes=LIGNES_MAX + 5)  # sous la taille décompressée maximale
    with pytest.raises(FichierIllisible, match="Plus de 10\u202f000 lignes"):
        lire_fichier(contenu, "long.xlsx")


def test_xlsx_colonnes_et_cellules_bornees():
    large = [["marche", "siret", "personne", "mois", "heures", *(["x"] * 5000)]]
    assert len(lire_fichier(xlsx([*large, ["M-01", "1", "P1", "2025-04", 1]]), "l.xlsx")) == 1
    with pytest.raises(FichierIllisible, match="ligne 2, colonne 1 : cellule de 2\u202f000"):
        lire_fichier(xlsx([large[0], ["M" * 2000, "1", "P1", "2025-04", 1]]), "c.xlsx")


def test_archive_invalide():
    with pytest.raises(FichierIllisible, match="Classeur XLSX illisible"):
        lire_fichier(b"PK\x03\x04" + b"\x00" * 100, "faux.xlsx")


def test_numero_de_personne_hors_des_cles_possibles():
    assert lire_personne("P99999999999999999999") is None
    assert lire_personne("EXT-000012").pk == 12


# — L'écran et la commande —


@pytest.fixture
def c(monde):
    return Chantier(monde)


def _importer(client, c, contenu, nom):
    client.force_login(c.facilitateur)
    return client.post(
        reverse("clauses:heures_import"),
        {"plie": c.monde.plie1.code, "fichier": SimpleUploadedFile(nom, contenu)},
    )


def test_ecran_refuse_le_xlsx_demesure_vite_et_en_une_petite_page(client, c):
    debut = time.monotonic()
    reponse = _importer(client, c, xlsx_bombe(), "bombe.xlsx")
    assert time.monotonic() - debut < 5
    assert reponse.status_code == 400
    assert len(reponse.content) < 50_000
    assert "Mo une fois décompressé" in reponse.content.decode()
    assert HeuresRealisees.objects.count() == 0


def test_ecran_cellule_csv_demesuree(client, c):
    contenu = fichier_csv(c.ligne(), f"M-01;{'x' * 140_000};P1;2025-04;1")
    reponse = _importer(client, c, contenu, "h.csv")
    assert reponse.status_code == 400
    assert reponse.context["erreurs"] == [
        "ligne 3 : CSV illisible (cellule de plus de 131\u202f072 caractères)."
    ]
    assert len(reponse.content) < 50_000


def test_ecran_liste_les_premieres_erreurs_seulement(client, c):
    contenu = fichier_csv(*[c.ligne(mois="mai") for _ in range(300)])
    reponse = _importer(client, c, contenu, "h.csv")
    assert reponse.status_code == 400
    erreurs = reponse.context["erreurs"]
    assert len(erreurs) == 101
    assert erreurs[-1] == (
        "… et 200 autres erreurs : corrigez les premières, puis contrôlez de nouveau le fichier."
    )
    assert "300 erreurs dans « h.csv »" in reponse.content.decode()


def test_ecran_nom_de_fichier_hostile_dans_la_confirmation(client, c):
    import base64

    client.force_login(c.facilitateur)
    reponse = client.post(
        reverse("clauses:heures_import"),
        {
            "plie": c.monde.plie1.code,
            "nom": "x" * 5000 + "\r\n.csv",
            "contenu": base64.b64encode(fichier_csv(c.ligne())).decode(),
            "confirmer": "1",
        },
    )
    assert reponse.status_code == 302
    assert len(HeuresRealisees.objects.get().journal.get().fichier) == 200


def test_commande_refuse_le_xlsx_demesure(c, tmp_path):
    fichier = tmp_path / "bombe.xlsx"
    fichier.write_bytes(xlsx_bombe())
    debut = time.monotonic()
    with pytest.raises(CommandError, match="Mo une fois décompressé") as exc:
        call_command("importer_heures", str(fichier), plie=c.monde.plie1.code, dry_run=True)
    assert exc.value.returncode == 2
    assert time.monotonic() - debut < 5


def test_commande_refuse_un_fichier_trop_gros_sans_le_lire(c, tmp_path):
    fichier = tmp_path / "gros.csv"
    fichier.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(CommandError, match="fichier trop volumineux"):
        call_command("importer_heures", str(fichier), plie=c.monde.plie1.code, dry_run=True)


def test_commande_nom_de_fichier_sur_plusieurs_lignes(c, tmp_path):
    fichier = tmp_path / ("h\n" + "x" * 240 + ".csv")
    fichier.write_bytes(fichier_csv(c.ligne()))
    par = c.facilitateur.username
    call_command("importer_heures", str(fichier), plie=c.monde.plie1.code, par=par)
    journal = HeuresRealisees.objects.get().journal.get()
    assert "\n" not in journal.fichier and len(journal.fichier) == 200
