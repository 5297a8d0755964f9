"""Le fichier de correspondance (YAML) : ce que les colonnes et les valeurs d'un export d'un autre
outil veulent dire dans le format neutre de la reprise (docs/reprise.md).

    source: viesion                 # rangé avec chaque ligne reprise (Provenance.source)
    libelle: ABC VIeSION
    format_date: "%d/%m/%Y"         # format des dates du fichier (les cellules date d'un XLSX
                                    # sont lues telles quelles)
    participants:
      fichier: participants         # participants.csv ou participants.xlsx dans le dossier
      colonnes: {nom: "Nom", ...}   # champ neutre -> nom de la colonne ; absent : le champ même
      valeurs: {sexe: {"Homme": H}} # valeur du fichier -> code du projet (casse ignorée)
    parcours: ...

Un champ dont les valeurs ont une table (`valeurs`) refuse toute valeur absente de la table ;
sans table, la valeur doit être le code du projet.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from parcours.accompagnement.enums import Statut, TypeSortie
from parcours.participants.enums import Sexe
from parcours.participants.normalisation import normaliser
from parcours.reprise.enums import Entite

# Champs du format neutre, obligatoires d'abord ; puis les champs facultatifs.
CHAMPS = {
    Entite.PARTICIPANT: {
        "obligatoires": ("source_id", "nom", "prenom", "date_naissance", "sexe"),
        "facultatifs": (
            "nom_naissance",
            "email",
            "telephone",
            "adresse",
            "commune_insee",
            "commune_nom",
        ),
    },
    Entite.PARCOURS: {
        "obligatoires": ("source_id", "participant", "statut", "date_prescription"),
        "facultatifs": ("date_entree", "date_sortie", "type_sortie", "referent"),
    },
}
# Les codes du projet que peut prendre chaque champ à valeurs fermées.
CODES = {
    "sexe": set(Sexe.values),
    "statut": set(Statut.values),
    "type_sortie": set(TypeSortie.values),
}
CLES_ENTITE = {"fichier", "colonnes", "valeurs"}
CLES_RACINE = {"source", "libelle", "format_date", "participants", "parcours"}
NOMS_YAML = {Entite.PARTICIPANT: "participants", Entite.PARCOURS: "parcours"}


class CorrespondanceInvalide(ValueError):
    """Le fichier de correspondance ne peut pas servir : rien n'est lu."""


@dataclass(frozen=True)
class CorrespondanceEntite:
    entite: Entite
    fichier: str
    colonnes: dict  # champ neutre -> colonne du fichier
    valeurs: dict = field(default_factory=dict)  # champ -> {valeur normalisée -> code}

    def colonne(self, champ: str) -> str:
        return self.colonnes.get(champ, champ)

    def code(self, champ: str, valeur: str) -> str | None:
        """Le code du projet pour `valeur` ; None si elle n'a pas de correspondance."""
        table = self.valeurs.get(champ)
        if table is None:
            return valeur if valeur in CODES[champ] else None
        return table.get(normaliser(valeur))


@dataclass(frozen=True)
class Correspondance:
    source: str
    libelle: str
    format_date: str
    entites: dict  # Entite -> CorrespondanceEntite


def _entite(entite: Entite, brut) -> CorrespondanceEntite:
    nom = NOMS_YAML[entite]
    brut = brut or {}
    if not isinstance(brut, dict):
        raise CorrespondanceInvalide(f"« {nom} » doit être une table.")
    inconnues = set(brut) - CLES_ENTITE
    if inconnues:
        liste = ", ".join(sorted(inconnues))
        raise CorrespondanceInvalide(f"« {nom} » : clés inconnues : {liste}.")
    champs = {*CHAMPS[entite]["obligatoires"], *CHAMPS[entite]["facultatifs"]}
    colonnes = brut.get("colonnes") or {}
    hors_format = set(colonnes) - champs
    if hors_format:
        raise CorrespondanceInvalide(
            f"« {nom}.colonnes » : champs inconnus du format neutre : "
            f"{', '.join(sorted(hors_format))} (champs : {', '.join(sorted(champs))})."
        )
    valeurs = {}
    for champ, table in (brut.get("valeurs") or {}).items():
        if champ not in CODES or champ not in champs:
            raise CorrespondanceInvalide(f"« {nom}.valeurs » : « {champ} » n'a pas de codes.")
        if not isinstance(table, dict):
            raise CorrespondanceInvalide(f"« {nom}.valeurs.{champ} » doit être une table.")
        for source, code in table.items():
            if str(code) not in CODES[champ]:
                raise CorrespondanceInvalide(
                    f"« {nom}.valeurs.{champ} » : « {source} » → « {code} » n'est pas un code "
                    f"du projet ({', '.join(sorted(CODES[champ]))})."
                )
        valeurs[champ] = {normaliser(str(s)): str(c) for s, c in table.items()}
    return CorrespondanceEntite(
        entite=entite,
        fichier=str(brut.get("fichier") or nom),
        colonnes={c: str(v) for c, v in colonnes.items()},
        valeurs=valeurs,
    )


def lire_correspondance(texte: str) -> Correspondance:
    try:
        brut = yaml.safe_load(texte)
    except yaml.YAMLError as exc:
        raise CorrespondanceInvalide(f"YAML illisible : {exc}") from None
    if not isinstance(brut, dict) or not brut.get("source"):
        raise CorrespondanceInvalide("La correspondance doit nommer sa « source » (ex. viesion).")
    inconnues = set(brut) - CLES_RACINE
    if inconnues:
        raise CorrespondanceInvalide(f"Clés inconnues : {', '.join(sorted(inconnues))}.")
    source = str(brut["source"])
    return Correspondance(
        source=source,
        libelle=str(brut.get("libelle") or source),
        format_date=str(brut.get("format_date") or "%Y-%m-%d"),
        entites={e: _entite(e, brut.get(NOMS_YAML[e])) for e in Entite},
    )


LIVREES = Path(__file__).resolve().parent / "correspondances"


def correspondances_livrees() -> dict:
    """Nom du fichier livré (sans .yaml) -> texte, dans l'ordre alphabétique."""
    return {
        chemin.stem: chemin.read_text(encoding="utf-8") for chemin in sorted(LIVREES.glob("*.yaml"))
    }
