"""Section facultative `etapes` : le catalogue des étapes de parcours du PLIE et des preuves qui
les justifient (docs/accompagnement.md). Absente : un catalogue vide."""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import ABSENT, CODE, Verificateur, contenu_en_vigueur

CLE = "etapes"
OBLIGATOIRE = False
CODE_MAX = 50
LIBELLE_MAX = 200
CATEGORIE_MAX = 100
# Une étape est justifiée par une seule des preuves listées (« attestation ou compte rendu ou
# mail » : seed 001:L3935) ou, si le type le demande, par toutes.
PREUVES_EXIGEES = {"une": "une des preuves listées", "toutes": "toutes les preuves listées"}


@dataclass(frozen=True)
class PreuveAttendue:
    code: str
    libelle: str


@dataclass(frozen=True)
class TypeEtape:
    code: str
    libelle: str
    categorie: str
    compte: bool
    emploi_ou_formation: bool
    preuves: tuple[PreuveAttendue, ...]
    preuves_exigees: str  # « une » (l'une des preuves listées suffit) ou « toutes »

    def preuve(self, code: str) -> PreuveAttendue | None:
        return next((p for p in self.preuves if p.code == code), None)


@dataclass(frozen=True)
class Catalogue:
    types: tuple[TypeEtape, ...]

    def type(self, code: str) -> TypeEtape | None:
        return next((t for t in self.types if t.code == code), None)

    def par_categorie(self) -> list[tuple[str, list[TypeEtape]]]:
        groupes: dict[str, list[TypeEtape]] = {}
        for t in self.types:
            groupes.setdefault(t.categorie, []).append(t)
        return list(groupes.items())


def du_contenu(contenu: dict | None) -> Catalogue:
    section = (contenu or {}).get(CLE) or []
    return Catalogue(
        tuple(
            TypeEtape(
                code=t["code"],
                libelle=t["libelle"],
                categorie=t["categorie"],
                compte=t.get("compte", True),
                emploi_ou_formation=t.get("emploi_ou_formation", False),
                preuves=tuple(PreuveAttendue(p["code"], p["libelle"]) for p in t["preuves"]),
                preuves_exigees=t.get("preuves_exigees", "une"),
            )
            for t in section
        )
    )


def de(plie, date: datetime.date | None = None) -> Catalogue:
    """Le catalogue en vigueur (aujourd'hui par défaut) ; `plie` : un PLIE ou son id."""
    return du_contenu(contenu_en_vigueur(plie, date))


# — Validation —


def code(v: Verificateur, valeur, chemin, codes, exemple):
    """Un code unique parmi `codes` (code -> chemin), partagé avec la section `suivi`."""
    if valeur is ABSENT:
        return
    if not isinstance(valeur, str) or not CODE.match(valeur) or len(valeur) > CODE_MAX:
        v.erreur(
            chemin,
            f"code en minuscules, chiffres, tirets ou soulignés, {CODE_MAX} caractères au plus "
            f"(ex. {exemple})",
        )
    elif valeur in codes:
        v.erreur(chemin, f"code « {valeur} » déjà utilisé par {codes[valeur]}")
    else:
        codes[valeur] = chemin.removesuffix(".code").removesuffix(".action")


def texte(v: Verificateur, valeur, chemin, maximum):
    v.texte(valeur, chemin)
    if isinstance(valeur, str) and len(valeur) > maximum:
        v.erreur(chemin, f"{maximum} caractères au plus")


def valider(v: Verificateur, section) -> None:
    """Une liste non vide de types d'étape."""
    if not isinstance(section, list) or not section:
        v.erreur("etapes", "une liste non vide de types d'étape est attendue")
        return
    codes = {}
    for i, type_etape in enumerate(section):
        _type_etape(v, type_etape, f"etapes[{i}]", codes)


def _type_etape(v: Verificateur, type_etape, chemin, codes):
    if not v.objet(
        type_etape,
        chemin,
        ("code", "libelle", "categorie", "preuves"),
        ("compte", "emploi_ou_formation", "preuves_exigees"),
    ):
        return
    code(v, type_etape.get("code", ABSENT), f"{chemin}.code", codes, "bilan-competences")
    texte(v, type_etape.get("libelle", ABSENT), f"{chemin}.libelle", LIBELLE_MAX)
    texte(v, type_etape.get("categorie", ABSENT), f"{chemin}.categorie", CATEGORIE_MAX)
    v.booleen(type_etape.get("compte", ABSENT), f"{chemin}.compte")
    v.booleen(type_etape.get("emploi_ou_formation", ABSENT), f"{chemin}.emploi_ou_formation")
    exigees = type_etape.get("preuves_exigees", ABSENT)
    if exigees is not ABSENT and exigees not in PREUVES_EXIGEES:
        v.erreur(
            f"{chemin}.preuves_exigees",
            f"« {exigees} » inconnu (attendu : {' ou '.join(PREUVES_EXIGEES)})",
        )
    preuves = type_etape.get("preuves", ABSENT)
    if preuves is ABSENT:
        return
    if not isinstance(preuves, list) or not preuves:
        v.erreur(f"{chemin}.preuves", "une liste non vide de preuves est attendue")
        return
    codes_preuves = {}
    for j, preuve in enumerate(preuves):
        pchemin = f"{chemin}.preuves[{j}]"
        if not v.objet(preuve, pchemin, ("code", "libelle")):
            continue
        code(v, preuve.get("code", ABSENT), f"{pchemin}.code", codes_preuves, "attestation")
        texte(v, preuve.get("libelle", ABSENT), f"{pchemin}.libelle", LIBELLE_MAX)
