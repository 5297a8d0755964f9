"""Heures d'insertion réalisées : saisie à l'écran (facilitateur) et import mensuel d'un fichier.

NOTE POUR LE LEAD — numéro de participant : `Participant` n'a pas de champ « numéro » en base ;
son numéro affiché est la propriété `Participant.numero` = « P » + clé primaire sur 6 chiffres
(`P000123`). L'import l'accepte donc sous cette forme (ou la clé seule, `123`) : c'est un
numéro dérivé de la clé primaire, pas un identifiant métier stable d'une base à l'autre. Un champ
`numero` unique et indexé (attribué à la création) serait à ajouter dans `participants`.

Un fichier (CSV séparé par `;`, UTF-8 avec ou sans BOM, virgule décimale ; ou XLSX) porte les
colonnes `marche`, `siret`, `personne`, `mois` (AAAA-MM), `heures`. Tout ou rien : une seule
ligne fautive et rien n'est enregistré ; chaque erreur est listée avec son numéro de ligne (celui
du tableur : l'en-tête est la ligne 1). Réimporter un mois remplace les heures de ce mois
(clé unique marché × personne × mois) au lieu de les additionner. Voir docs/heures.md.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from parcours.entreprises.siret import normaliser_siret, valider_siret

COLONNES = ("marche", "siret", "personne", "mois", "heures")
# Au-delà, une saisie est une erreur (un temps plein fait ~151,67 h par mois).
HEURES_MAX_PAR_MOIS = Decimal(250)
LIBELLES = {
    "marche": "marché",
    "siret": "SIRET",
    "personne": "personne",
    "mois": "mois",
    "heures": "heures",
}


class FichierIllisible(ValueError):
    """Le fichier entier est refusé (format, encodage, colonnes) : aucune ligne n'est lue."""


@dataclass(frozen=True)
class LigneLue:
    """Une ligne du fichier, telle qu'écrite (textes nettoyés des espaces de bord)."""

    numero: int
    valeurs: dict


@dataclass(frozen=True)
class Personne:
    """Un participant du PLIE (`participant`) ou un candidat externe (`externe`), par clé."""

    type: str
    pk: int

    def __str__(self):
        return f"P{self.pk:06d}" if self.type == "participant" else f"EXT-{self.pk:06d}"


@dataclass
class LigneHeures:
    """Une ligne lue et interprétée (types Python) ; les objets en base sont ajoutés ensuite."""

    numero: int
    brut: dict
    marche: str
    siret: str
    personne: Personne
    mois: datetime.date
    heures: Decimal
    objets: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ErreurLigne:
    numero: int
    message: str

    def __str__(self):
        return f"ligne {self.numero} : {self.message}" if self.numero else self.message


def erreur_champ(numero: int, colonne: str, valeur, raison: str) -> ErreurLigne:
    return ErreurLigne(numero, f"{LIBELLES.get(colonne, colonne)} « {valeur} » : {raison}")


# — Lecture du fichier —


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


def _lignes(rangees) -> list[LigneLue]:
    """`rangees` : itérable de listes de cellules, l'en-tête d'abord ; les lignes vides sautent."""
    rangees = iter(rangees)
    try:
        entete = next(rangees)
    except StopIteration:
        raise FichierIllisible("Le fichier est vide.") from None
    positions = _entete(entete)
    lues = []
    for numero, cellules in enumerate(rangees, start=2):
        cellules = list(cellules)
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


def _lire_xlsx(contenu: bytes) -> list[LigneLue]:
    from openpyxl import load_workbook

    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl lève des erreurs variées (zip, XML) : toutes illisibles
        raise FichierIllisible(f"Classeur XLSX illisible : {exc}") from None
    try:
        return _lignes(classeur.worksheets[0].iter_rows(values_only=True))
    finally:
        classeur.close()


def _lire_csv(contenu: bytes) -> list[LigneLue]:
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        # « CSV (séparateur : point-virgule) » d'un Excel français : Windows-1252.
        texte = contenu.decode("cp1252", errors="replace")
    return _lignes(csv.reader(io.StringIO(texte, newline=""), delimiter=";"))


def lire_fichier(contenu: bytes, nom: str = "") -> list[LigneLue]:
    """Les lignes non vides du fichier (CSV `;` ou XLSX, selon le nom ou le contenu)."""
    if _est_xlsx(contenu, nom):
        return _lire_xlsx(contenu)
    return _lire_csv(contenu)


# — Interprétation d'une ligne (sans la base) —

_MOIS = re.compile(r"^(\d{4})-(\d{1,2})$")
_PARTICIPANT = re.compile(r"^P?0*(\d+)$", re.IGNORECASE)
_EXTERNE = re.compile(r"^EXT-?0*(\d+)$", re.IGNORECASE)


def lire_personne(texte: str) -> Personne | None:
    texte = texte.replace(" ", "")
    if m := _EXTERNE.match(texte):
        return Personne("externe", int(m.group(1)))
    if m := _PARTICIPANT.match(texte):
        return Personne("participant", int(m.group(1)))
    return None


def lire_mois(texte: str) -> datetime.date | None:
    m = _MOIS.match(texte)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return datetime.date(int(m.group(1)), int(m.group(2)), 1)


def lire_heures(texte: str) -> tuple[Decimal | None, str]:
    """(heures, "") ou (None, raison)."""
    nettoye = texte.replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        heures = Decimal(nettoye)
    except InvalidOperation:
        return None, "pas un nombre d'heures (ex. 151,5)"
    if not heures.is_finite():
        return None, "pas un nombre d'heures (ex. 151,5)"
    if heures < 0:
        return None, "nombre d'heures négatif"
    if heures > HEURES_MAX_PAR_MOIS:
        return None, f"plus de {HEURES_MAX_PAR_MOIS} h dans le mois pour une personne"
    if heures != heures.quantize(Decimal("0.01")):
        return None, "au plus deux décimales"
    return heures.quantize(Decimal("0.01")), ""


def interpreter(ligne: LigneLue) -> tuple[LigneHeures | None, list[ErreurLigne]]:
    """Vérifie la forme de chaque colonne ; toutes les erreurs de la ligne sont rendues."""
    v, n = ligne.valeurs, ligne.numero
    erreurs = []
    for colonne in COLONNES:
        if not v[colonne]:
            erreurs.append(ErreurLigne(n, f"{LIBELLES[colonne]} : valeur manquante"))
    siret = normaliser_siret(v["siret"])
    if v["siret"]:
        try:
            valider_siret(siret)
        except ValidationError as exc:
            erreurs.append(erreur_champ(n, "siret", v["siret"], exc.messages[0]))
    personne = lire_personne(v["personne"]) if v["personne"] else None
    if v["personne"] and personne is None:
        erreurs.append(
            erreur_champ(
                n,
                "personne",
                v["personne"],
                "ni un numéro de participant (P000123) ni un candidat externe (EXT-000123)",
            )
        )
    mois = lire_mois(v["mois"]) if v["mois"] else None
    if v["mois"] and mois is None:
        erreurs.append(erreur_champ(n, "mois", v["mois"], "format attendu AAAA-MM (ex. 2026-03)"))
    heures = None
    if v["heures"]:
        heures, raison = lire_heures(v["heures"])
        if heures is None:
            erreurs.append(erreur_champ(n, "heures", v["heures"], raison))
    if erreurs:
        return None, erreurs
    return LigneHeures(n, v, v["marche"], siret, personne, mois, heures), []
