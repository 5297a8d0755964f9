"""Une ligne d'heures interprétée, sans la base : la personne (`P000123`, `EXT-000123`), le mois
(`AAAA-MM`), les heures (virgule décimale, deux décimales, 250 h au plus), le SIRET ; chaque
colonne fautive donne une `ErreurLigne` qui nomme la colonne et la valeur."""

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from parcours.clauses.heures.fichier import COLONNES, LigneLue
from parcours.core.validators import ANNEE_MAX, ANNEE_MIN
from parcours.entreprises.siret import normaliser_siret, valider_siret

# Au-delà, une saisie est une erreur (un temps plein fait ~151,67 h par mois).
HEURES_MAX_PAR_MOIS = Decimal(250)
LIBELLES = {
    "marche": "marché",
    "siret": "SIRET",
    "personne": "personne",
    "mois": "mois",
    "heures": "heures",
}


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


_MOIS = re.compile(r"^(\d{4})-(\d{1,2})$")
_PARTICIPANT = re.compile(r"^P?0*(\d+)$", re.IGNORECASE)
_EXTERNE = re.compile(r"^EXT-?0*(\d+)$", re.IGNORECASE)


# Au-delà, le numéro n'est pas une clé de la base (colonne `integer`) : inconnu.
CLE_MAX = 2**31 - 1


def lire_personne(texte: str) -> Personne | None:
    texte = texte.replace(" ", "")
    for type_, motif in (("externe", _EXTERNE), ("participant", _PARTICIPANT)):
        if m := motif.match(texte):
            pk = int(m.group(1))
            return Personne(type_, pk) if pk <= CLE_MAX else None
    return None


def lire_mois(texte: str) -> datetime.date | None:
    """Le premier jour du mois « AAAA-MM » ; None si le texte n'en est pas un ou si l'année sort
    de 1900–2100 (« 0000-01 » n'existe pas dans le calendrier de Python)."""
    m = _MOIS.match(texte)
    if not m or not 1 <= int(m.group(2)) <= 12 or not ANNEE_MIN <= int(m.group(1)) <= ANNEE_MAX:
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


@functools.lru_cache(maxsize=1024)
def _siret(texte: str) -> tuple[str, str]:
    """(SIRET normalisé, raison du refus ou "") : un fichier répète les mêmes quelques SIRET sur
    des milliers de lignes, chacun n'est validé qu'une fois."""
    siret = normaliser_siret(texte)
    try:
        valider_siret(siret)
    except ValidationError as exc:
        return siret, exc.messages[0]
    return siret, ""


def interpreter(ligne: LigneLue) -> tuple[LigneHeures | None, list[ErreurLigne]]:
    """Vérifie la forme de chaque colonne ; toutes les erreurs de la ligne sont rendues."""
    v, n = ligne.valeurs, ligne.numero
    erreurs = []
    for colonne in COLONNES:
        if not v[colonne]:
            erreurs.append(ErreurLigne(n, f"{LIBELLES[colonne]} : valeur manquante"))
    siret, raison = _siret(v["siret"])
    if v["siret"] and raison:
        erreurs.append(erreur_champ(n, "siret", v["siret"], raison))
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
        raison = "format attendu AAAA-MM (ex. 2026-03), de 1900 à 2100"
        erreurs.append(erreur_champ(n, "mois", v["mois"], raison))
    heures = None
    if v["heures"]:
        heures, raison = lire_heures(v["heures"])
        if heures is None:
            erreurs.append(erreur_champ(n, "heures", v["heures"], raison))
    if erreurs:
        return None, erreurs
    return LigneHeures(n, v, v["marche"], siret, personne, mois, heures), []
