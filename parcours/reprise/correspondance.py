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

from parcours.accompagnement.enums import (
    CanalContact,
    MotifSuspension,
    Presence,
    Statut,
    StatutEtape,
    TypeSortie,
)
from parcours.accompagnement.models.questionnaire import (
    OuiNon,
    OuiNonNeSouhaitePas,
    SituationMarcheTravail,
    TypeEmploi,
)
from parcours.commissions.enums import DECISIONS_SORTIE
from parcours.core.enums import Role, TypeStructure
from parcours.core.yaml_sur import lire_yaml
from parcours.emploi.enums import TypeContrat
from parcours.fse.enums import DiplomeDgefp, MotifFinParticipation
from parcours.participants.enums import Sexe, StatutSocial
from parcours.participants.normalisation import normaliser
from parcours.reprise.clauses.champs import CHAMPS_CLAUSES, CODES_CLAUSES, NOMS_CLAUSES
from parcours.reprise.enums import Entite

# Champs du format neutre, obligatoires d'abord ; puis les champs facultatifs.
CHAMPS = {
    Entite.STRUCTURE: {"obligatoires": ("source_id", "nom", "type"), "facultatifs": ()},
    Entite.UTILISATEUR: {
        "obligatoires": ("source_id", "identifiant", "nom", "prenom", "structure", "role"),
        "facultatifs": ("email", "date_debut"),
    },
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
        "facultatifs": ("date_entree", "date_sortie", "type_sortie", "referent", "territoire"),
    },
    Entite.PRESCRIPTION: {
        "obligatoires": ("source_id", "parcours"),
        "facultatifs": (
            "motif",
            "structure_prescriptrice",
            "statuts",
            "decision",
            "date_decision",
            "motif_decision",
        ),
    },
    Entite.DECISION_SORTIE: {
        "obligatoires": (
            "source_id",
            "parcours",
            "date_proposition",
            "type_sortie",
            "decision",
            "date_decision",
        ),
        "facultatifs": ("motif",),
    },
    Entite.ETAPE: {
        "obligatoires": ("source_id", "parcours", "type", "date_debut", "statut"),
        "facultatifs": ("date_fin", "intitule", "prestataire", "commentaire"),
    },
    Entite.ENTRETIEN: {
        "obligatoires": ("source_id", "parcours", "date", "canal"),
        "facultatifs": ("objet", "auteur", "presence"),
    },
    Entite.CONTRAT: {
        "obligatoires": ("source_id", "parcours", "type", "employeur", "debut"),
        "facultatifs": ("fin", "heures_hebdo", "client", "motif_fin"),
    },
    # Les participations successives d'un parcours aux opérations FSE+ (changement de structure
    # du référent, actions financées) : `operation` est le numéro Ma Démarche FSE.
    Entite.PARTICIPATION_FSE: {
        "obligatoires": ("source_id", "parcours", "operation", "date_entree"),
        "facultatifs": ("structure", "date_sortie", "motif_fin"),
    },
    Entite.REPONSE_FSE: {
        "obligatoires": ("source_id", "parcours"),
        "facultatifs": (
            "operation",
            "date_entree",
            "commune_naissance",
            "code_postal_naissance",
            "situation_marche_travail",
            "type_emploi",
            "mois_recherche_emploi",
            "diplome_dgefp",
            "handicap_reconnu",
            "minima_sociaux",
            "sans_domicile",
            "parent_ne_etranger",
        ),
    },
    # `date_fin` vide : la suspension est en cours (parcours `suspendu`).
    Entite.SUSPENSION: {
        "obligatoires": ("source_id", "parcours", "date_debut", "date_fin_prevue", "motif"),
        "facultatifs": ("date_fin", "precision", "fins_prevues_precedentes"),
    },
}
# Les codes du projet que peut prendre chaque champ à valeurs fermées (un même nom de champ peut
# avoir des codes différents selon l'entité : `type`, `statut`).
CODES = {
    "sexe": set(Sexe.values),
    "statut": set(Statut.values),
    "type_sortie": set(TypeSortie.values),
    "role": set(Role.values) - {Role.ADMIN},  # un administrateur se nomme à l'écran, pas en masse
    "canal": set(CanalContact.values),
    "presence": set(Presence.values),
    "statuts": set(StatutSocial.values),
    "situation_marche_travail": set(SituationMarcheTravail.values),
    "type_emploi": set(TypeEmploi.values),
    "diplome_dgefp": set(DiplomeDgefp.values),
    "handicap_reconnu": set(OuiNon.values),
    "minima_sociaux": set(OuiNon.values),
    "sans_domicile": set(OuiNonNeSouhaitePas.values),
    "parent_ne_etranger": set(OuiNonNeSouhaitePas.values),
}
CODES_PAR_ENTITE = {
    (Entite.STRUCTURE, "type"): set(TypeStructure.values),
    (Entite.ETAPE, "statut"): set(StatutEtape.values),
    (Entite.CONTRAT, "type"): set(TypeContrat.values),
    (Entite.PARTICIPATION_FSE, "motif_fin"): set(MotifFinParticipation.values),
    (Entite.SUSPENSION, "motif"): set(MotifSuspension.values),
    # La décision de la commission d'entrée (les décisions de sortie suivent les sorties).
    (Entite.PRESCRIPTION, "decision"): {
        Statut.ADMIS.value,
        Statut.AJOURNE.value,
        Statut.REFUSE.value,
    },
    # La décision de la commission de sortie : celles que connaît une séance.
    (Entite.DECISION_SORTIE, "decision"): set(DECISIONS_SORTIE),
}
# Champs à plusieurs valeurs dans une cellule, séparées par une virgule ou « | ».
MULTIPLES = {"statuts"}
# Champs dont la table traduit vers des valeurs propres au PLIE, contrôlées à la lecture contre
# la base (types du catalogue d'étapes, noms de structures) et non à la lecture du YAML.
OUVERTS = {
    (Entite.ETAPE, "type"),
    (Entite.UTILISATEUR, "structure"),
    (Entite.PRESCRIPTION, "structure_prescriptrice"),
    (Entite.PARCOURS, "territoire"),
    (Entite.PARTICIPATION_FSE, "structure"),
}
CLES_ENTITE = {"fichier", "colonnes", "valeurs"}
NOMS_YAML = {
    Entite.STRUCTURE: "structures",
    Entite.UTILISATEUR: "utilisateurs",
    Entite.PARTICIPANT: "participants",
    Entite.PARCOURS: "parcours",
    Entite.PRESCRIPTION: "prescriptions",
    Entite.DECISION_SORTIE: "decisions_sortie",
    Entite.ETAPE: "etapes",
    Entite.ENTRETIEN: "entretiens",
    Entite.CONTRAT: "contrats",
    Entite.PARTICIPATION_FSE: "participations",
    Entite.REPONSE_FSE: "reponses_fse",
    Entite.SUSPENSION: "suspensions",
}
CLES_RACINE = {"source", "libelle", "format_date", *NOMS_YAML.values()}


def codes(entite, champ) -> set | None:
    """Les codes du projet de ce champ ; None si ses valeurs ne sont pas fermées."""
    return CODES_PAR_ENTITE.get((entite, champ), CODES.get(champ))


# Clauses sociales (ABC Clause) : leurs champs sont décrits dans parcours/reprise/clauses/champs.py.
CHAMPS.update(CHAMPS_CLAUSES)
CODES.update(CODES_CLAUSES)
NOMS_YAML.update(NOMS_CLAUSES)
CLES_RACINE |= {*NOMS_CLAUSES.values(), "source_participants"}


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
        """Le code du projet pour `valeur` ; None si elle n'a pas de correspondance. Sans table,
        un champ ouvert garde la valeur lue (contrôlée ensuite contre la base)."""
        table = self.valeurs.get(champ)
        if table is None:
            fermes = codes(self.entite, champ)
            return valeur if fermes is None or valeur in fermes else None
        return table.get(normaliser(valeur))

    def a_des_valeurs(self, champ: str) -> bool:
        return champ in self.valeurs or codes(self.entite, champ) is not None


@dataclass(frozen=True)
class Correspondance:
    source: str
    libelle: str
    format_date: str
    entites: dict  # Entite -> CorrespondanceEntite
    # La source dont les personnes sont désignées par les clauses (ABC Clause désigne les
    # participants de VIeSION) ; par défaut, la source elle-même.
    source_participants: str = ""


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
        fermes = codes(entite, champ)
        if champ not in champs or (fermes is None and (entite, champ) not in OUVERTS):
            raise CorrespondanceInvalide(f"« {nom}.valeurs » : « {champ} » n'a pas de codes.")
        if not isinstance(table, dict):
            raise CorrespondanceInvalide(f"« {nom}.valeurs.{champ} » doit être une table.")
        for source, code in table.items():
            if fermes is not None and str(code) not in fermes:
                raise CorrespondanceInvalide(
                    f"« {nom}.valeurs.{champ} » : « {source} » → « {code} » n'est pas un code "
                    f"du projet ({', '.join(sorted(fermes))})."
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
        brut = lire_yaml(texte)
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
        # Une entité des clauses n'est cherchée que si la correspondance la déclare.
        entites={
            e: _entite(e, brut.get(NOMS_YAML[e]))
            for e in Entite
            if e not in CHAMPS_CLAUSES or NOMS_YAML[e] in brut
        },
        source_participants=str(brut.get("source_participants") or source),
    )


LIVREES = Path(__file__).resolve().parent / "correspondances"


def correspondances_livrees() -> dict:
    """Nom du fichier livré (sans .yaml) -> texte, dans l'ordre alphabétique."""
    return {
        chemin.stem: chemin.read_text(encoding="utf-8") for chemin in sorted(LIVREES.glob("*.yaml"))
    }
