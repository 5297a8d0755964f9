"""Lire un fichier d'heures (CSV « ; » ou XLSX) en lignes de texte, sans la base.

Le fichier est borné avant d'être lu en entier : taille, taille décompressée d'un XLSX (somme
annoncée des fichiers de l'archive, vérifiée avant d'ouvrir le classeur), nombre de lignes et de
colonnes (lecture en flux, arrêtée à la première ligne de trop), taille d'une cellule, caractères
de contrôle. Un dépassement refuse le fichier entier (`FichierIllisible`) avec un message en
français qui nomme la ligne ; le contrôle ligne à ligne est dans `lignes.py` (forme) et
`controles.py` (contre la base).
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from parcours.core.validators import caracteres_interdits

COLONNES = ("marche", "siret", "personne", "mois", "heures")
# Plafonds d'un fichier (un mois d'un PLIE : quelques centaines de lignes) : au-delà, il est
# refusé avant d'être lu en entier — un XLSX de 1 Mo peut se décompresser en 400 000 lignes.
TAILLE_MAX_FICHIER = 2 * 1024 * 1024
TAILLE_DECOMPRESSEE_MAX = 20 * 1024 * 1024  # XLSX : somme des fichiers de l'archive
LIGNES_MAX = 10_000
COLONNES_MAX = 50
CARACTERES_MAX_PAR_CELLULE = 1_000
ERREURS_AFFICHEES_MAX = 100


class FichierIllisible(ValueError):
    """Le fichier entier est refusé (format, encodage, colonnes) : aucune ligne n'est lue."""


@dataclass(frozen=True)
class LigneLue:
    """Une ligne du fichier, telle qu'écrite (textes nettoyés des espaces de bord)."""

    numero: int
    valeurs: dict


def _texte(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, datetime.datetime | datetime.date):
        return f"{valeur:%Y-%m}"
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur).replace("\u00a0", " ").strip()


def _entete(cellules) -> dict[str, int]:
    noms = [_texte(c).lower().lstrip("\ufeff").strip() for c in cellules]
    manquantes = [c for c in COLONNES if c not in noms]
    if manquantes:
        trouvees = ", ".join(n for n in noms if n) or "aucune"
        raise FichierIllisible(
            "ligne 1 : colonnes manquantes : "
            + ", ".join(manquantes)
            + f" (colonnes trouvées : {trouvees} ; séparateur attendu : « ; »)"
        )
    return {nom: noms.index(nom) for nom in COLONNES}


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _controler_cellules(numero: int, cellules: list) -> None:
    """Une cellule démesurée ou à caractères de contrôle : le fichier n'est pas un fichier
    d'heures (et le texte ne doit atteindre ni la base ni la page d'erreurs)."""
    for position, cellule in enumerate(cellules, start=1):
        if not isinstance(cellule, str):
            continue
        if len(cellule) > CARACTERES_MAX_PAR_CELLULE:
            raise FichierIllisible(
                f"ligne {numero}, colonne {position} : cellule de {_nombre(len(cellule))} "
                f"caractères ({_nombre(CARACTERES_MAX_PAR_CELLULE)} au plus)."
            )
        if caracteres_interdits(cellule):
            raise FichierIllisible(
                f"ligne {numero}, colonne {position} : caractère de contrôle (saut de ligne, "
                "caractère nul…) dans une cellule."
            )


def _lignes(rangees) -> list[LigneLue]:
    """`rangees` : itérable de listes de cellules, l'en-tête d'abord ; les lignes vides sautent.
    Au-delà de LIGNES_MAX lignes, la lecture s'arrête et le fichier est refusé."""
    rangees = iter(rangees)
    try:
        entete = list(next(rangees))[:COLONNES_MAX]
    except StopIteration:
        raise FichierIllisible("Le fichier est vide.") from None
    _controler_cellules(1, entete)
    positions = _entete(entete)
    lues = []
    for numero, cellules in enumerate(rangees, start=2):
        if numero > LIGNES_MAX + 1:
            raise FichierIllisible(
                f"Plus de {_nombre(LIGNES_MAX)} lignes : fichier refusé (un import porte les "
                "heures d'un mois ou de quelques mois ; découpez-le)."
            )
        cellules = list(cellules)[:COLONNES_MAX]
        _controler_cellules(numero, cellules)
        if not any(_texte(c) for c in cellules):
            continue
        valeurs = {}
        for nom, position in positions.items():
            cellule = cellules[position] if position < len(cellules) else None
            if nom == "siret" and isinstance(cellule, int | float):
                # Un tableur range le SIRET en nombre et perd les zéros de tête.
                valeurs[nom] = _texte(cellule).zfill(14)
            else:
                valeurs[nom] = _texte(cellule)
        lues.append(LigneLue(numero, valeurs))
    return lues


def _est_xlsx(contenu: bytes, nom: str) -> bool:
    return nom.lower().endswith((".xlsx", ".xlsm")) or contenu[:4] == b"PK\x03\x04"


def _verifier_archive(contenu: bytes) -> None:
    """Avant toute lecture du classeur : la taille décompressée annoncée par chaque fichier de
    l'archive (zipfile n'en décompresse jamais plus que cette taille annoncée)."""
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            membres = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise FichierIllisible(
            "Classeur XLSX illisible : ce n'est pas une archive valide."
        ) from None
    total = sum(m.file_size for m in membres)
    if total > TAILLE_DECOMPRESSEE_MAX or len(membres) > 1000:
        raise FichierIllisible(
            f"Classeur refusé : {total / 1024 / 1024:.0f} Mo une fois décompressé "
            f"({TAILLE_DECOMPRESSEE_MAX // 1024 // 1024} Mo au plus). Un fichier d'heures "
            "d'un mois en fait quelques centaines de kilo-octets."
        )


def _lire_xlsx(contenu: bytes) -> list[LigneLue]:
    from openpyxl import load_workbook

    _verifier_archive(contenu)
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl lève des erreurs variées (zip, XML) : toutes illisibles
        raise FichierIllisible(f"Classeur XLSX illisible : {exc}") from None
    try:
        # Lecture en flux (read_only), bornée : la ligne LIGNES_MAX + 2 suffit à refuser.
        feuille = classeur.worksheets[0]
        return _lignes(
            feuille.iter_rows(values_only=True, max_row=LIGNES_MAX + 2, max_col=COLONNES_MAX)
        )
    except FichierIllisible:
        raise
    except Exception as exc:  # XML de la feuille malformé, lu au fil de l'eau
        raise FichierIllisible(f"Classeur XLSX illisible : {exc}") from None
    finally:
        classeur.close()


def _rangees_csv(lecteur):
    """Les rangées du lecteur CSV ; une erreur du module csv (cellule de plus de 131 072
    caractères…) devient un refus qui nomme la ligne."""
    try:
        yield from lecteur
    except csv.Error as exc:
        raise FichierIllisible(
            f"ligne {lecteur.line_num} : CSV illisible ({_erreur_csv(exc)})."
        ) from None


def _erreur_csv(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"cellule de plus de {_nombre(csv.field_size_limit())} caractères"
    return str(exc)


def _lire_csv(contenu: bytes) -> list[LigneLue]:
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        # « CSV (séparateur : point-virgule) » d'un Excel français : Windows-1252.
        texte = contenu.decode("cp1252", errors="replace")
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=";")
    return _lignes(_rangees_csv(lecteur))


def lire_fichier(contenu: bytes, nom: str = "") -> list[LigneLue]:
    """Les lignes non vides du fichier (CSV `;` ou XLSX, selon le nom ou le contenu)."""
    if len(contenu) > TAILLE_MAX_FICHIER:
        raise FichierIllisible(
            f"Fichier trop volumineux ({len(contenu) / 1024 / 1024:.1f} Mo, "
            f"{TAILLE_MAX_FICHIER // 1024 // 1024} Mo au plus)."
        )
    if _est_xlsx(contenu, nom):
        return _lire_xlsx(contenu)
    return _lire_csv(contenu)


# Le modèle proposé au téléchargement (écran d'import) : l'en-tête attendu et une ligne
# d'exemple à remplacer, au format que lit `lire_fichier` (UTF-8 avec BOM pour Excel, « ; »,
# virgule décimale).
PERSONNE_EXEMPLE = "P000123"
HEURES_EXEMPLE = "151,67"


def modele_csv(marche: str, siret: str, mois: datetime.date) -> bytes:
    """Le modèle CSV d'un import d'heures : l'en-tête (`COLONNES`) et une ligne d'exemple
    (`marche` : un numéro de marché, `siret` : son attributaire, `mois` : AAAA-MM)."""
    exemple = (marche, siret, PERSONNE_EXEMPLE, f"{mois:%Y-%m}", HEURES_EXEMPLE)
    lignes = [";".join(COLONNES), ";".join(exemple)]
    return ("\ufeff" + "\r\n".join(lignes) + "\r\n").encode("utf-8")
