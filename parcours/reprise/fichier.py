"""Lire un fichier de reprise (CSV « ; » UTF-8, ou XLSX) en lignes, sans la base.

Bornes : taille du fichier, taille décompressée d'un XLSX, nombre de lignes ; une cellule à
caractères de contrôle refuse le fichier. Les cellules date d'un XLSX restent des dates ; le
reste est du texte nettoyé des espaces de bord.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from parcours.core.validators import caracteres_interdits

TAILLE_MAX_FICHIER = 20 * 1024 * 1024
TAILLE_DECOMPRESSEE_MAX = 200 * 1024 * 1024
LIGNES_MAX = 200_000
EXTENSIONS = (".csv", ".xlsx")


class FichierIllisible(ValueError):
    """Le fichier entier est refusé : aucune de ses lignes n'est lue."""


@dataclass(frozen=True)
class Tableau:
    nom: str  # le nom du fichier, pour les refus
    colonnes: tuple[str, ...]
    lignes: list  # [(numéro de ligne du tableur, {colonne: valeur})]


def _cellule(valeur):
    if valeur is None:
        return ""
    if isinstance(valeur, datetime.datetime):
        return valeur.date()
    if isinstance(valeur, datetime.date):
        return valeur
    if isinstance(valeur, float) and valeur.is_integer():
        valeur = int(valeur)
    return str(valeur).replace("\u00a0", " ").strip()


def _tableau(nom: str, rangees) -> Tableau:
    rangees = iter(rangees)
    try:
        entete = [str(_cellule(c)).lstrip("\ufeff").strip() for c in next(rangees)]
    except StopIteration:
        raise FichierIllisible(f"{nom} : le fichier est vide.") from None
    lignes = []
    for numero, cellules in enumerate(rangees, start=2):
        if numero > LIGNES_MAX + 1:
            raise FichierIllisible(f"{nom} : plus de {LIGNES_MAX} lignes ; découpez-le.")
        cellules = [_cellule(c) for c in cellules]
        if not any(c != "" for c in cellules):
            continue
        for position, cellule in enumerate(cellules, start=1):
            if isinstance(cellule, str) and caracteres_interdits(cellule):
                raise FichierIllisible(
                    f"{nom}, ligne {numero}, colonne {position} : caractère de contrôle "
                    "(saut de ligne, caractère nul…) dans une cellule."
                )
        valeurs = {
            colonne: cellules[i] if i < len(cellules) else ""
            for i, colonne in enumerate(entete)
            if colonne
        }
        lignes.append((numero, valeurs))
    return Tableau(nom=nom, colonnes=tuple(c for c in entete if c), lignes=lignes)


def _lire_xlsx(nom: str, contenu: bytes) -> Tableau:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            total = sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise FichierIllisible(f"{nom} : classeur XLSX illisible.") from None
    if total > TAILLE_DECOMPRESSEE_MAX:
        raise FichierIllisible(f"{nom} : classeur trop volumineux une fois décompressé.")
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl lève des erreurs variées (zip, XML)
        raise FichierIllisible(f"{nom} : classeur XLSX illisible ({exc}).") from None
    try:
        feuille = classeur.worksheets[0]
        return _tableau(nom, feuille.iter_rows(values_only=True, max_row=LIGNES_MAX + 2))
    finally:
        classeur.close()


def _lire_csv(nom: str, contenu: bytes) -> Tableau:
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FichierIllisible(f"{nom} : le fichier n'est pas en UTF-8.") from None
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=";")
    try:
        return _tableau(nom, lecteur)
    except csv.Error as exc:
        raise FichierIllisible(
            f"{nom}, ligne {lecteur.line_num} : CSV illisible ({exc})."
        ) from None


def trouver_fichier(dossier: Path, base: str) -> Path | None:
    """`base`.csv ou `base`.xlsx dans le dossier (casse de l'extension ignorée)."""
    for chemin in sorted(dossier.iterdir()):
        if chemin.stem == base and chemin.suffix.lower() in EXTENSIONS:
            return chemin
    return None


def lire_tableau(chemin: Path) -> Tableau:
    try:
        if chemin.stat().st_size > TAILLE_MAX_FICHIER:
            raise FichierIllisible(
                f"{chemin.name} : fichier trop volumineux "
                f"({TAILLE_MAX_FICHIER // 1024 // 1024} Mo au plus)."
            )
        contenu = chemin.read_bytes()
    except OSError as exc:
        raise FichierIllisible(f"{chemin.name} : fichier illisible ({exc.strerror}).") from None
    if chemin.suffix.lower() == ".xlsx":
        return _lire_xlsx(chemin.name, contenu)
    return _lire_csv(chemin.name, contenu)
