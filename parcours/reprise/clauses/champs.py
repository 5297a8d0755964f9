"""Les champs du format neutre des clauses sociales (docs/reprise.md, « Clauses sociales »).

Chaque entité désigne les autres par leur identifiant dans la source (`donneur_ordre`,
`operation`, `marche`, `besoin`, `participant`, `candidat_externe`) : la ligne visée est dans
le même passage ou a été reprise lors d'un passage précédent.
"""

from parcours.clauses.enums import (
    ModaliteClause,
    ModaliteExecution,
    StatutBesoin,
    StatutPositionnement,
    TypeDonneurOrdre,
)
from parcours.emploi.enums import TypeContrat
from parcours.reprise.enums import Entite

CHAMPS_CLAUSES = {
    Entite.DONNEUR_ORDRE: {
        "obligatoires": ("source_id", "nom", "type_donneur"),
        "facultatifs": (),
    },
    Entite.OPERATION: {
        "obligatoires": ("source_id", "donneur_ordre", "nom"),
        "facultatifs": ("description", "date_debut", "date_fin"),
    },
    Entite.MARCHE: {
        "obligatoires": (
            "source_id",
            "operation",
            "numero",
            "intitule",
            "modalite_clause",
            "heures_prevues",
            "date_debut",
        ),
        "facultatifs": (
            "date_fin",
            "attributaire_siret",
            "attributaire_nom",
            "modalite_execution",
            # SIRET séparés par des virgules : entreprises du PLIE ou attributaires du passage.
            "sous_traitants_siret",
        ),
    },
    Entite.BESOIN: {
        "obligatoires": (
            "source_id",
            "marche",
            "poste",
            "type_contrat",
            "date_debut",
            "facilitateur",
        ),
        "facultatifs": (
            "lot",
            "lot_intitule",
            "lot_heures",
            "description",
            "nb_postes",
            "date_fin",
            "statut_besoin",
        ),
    },
    Entite.CANDIDAT_EXTERNE: {
        "obligatoires": ("source_id", "nom", "prenom", "date_naissance", "sexe"),
        "facultatifs": (
            "commune_insee",
            "commune_nom",
            "rsa",
            "qpv",
            "rqth",
            "deld",
            "salarie_iae",
        ),
    },
    Entite.POSITIONNEMENT: {
        "obligatoires": ("source_id", "besoin", "statut_candidature"),
        "facultatifs": (
            "participant",
            "candidat_externe",
            "date_embauche",
            "date_fin_contrat",
            "type_contrat",
            "employeur",
            "heures_hebdo",
            "motif_non_retenue",
        ),
    },
    # Pas d'identifiant obligatoire : une ligne d'heures est désignée par marché, personne, mois.
    Entite.HEURES: {
        "obligatoires": ("marche", "siret", "mois", "heures"),
        "facultatifs": ("source_id", "participant", "candidat_externe"),
    },
}
CODES_CLAUSES = {
    "type_donneur": set(TypeDonneurOrdre.values),
    "modalite_clause": set(ModaliteClause.values),
    "modalite_execution": set(ModaliteExecution.values),
    "type_contrat": set(TypeContrat.values),
    "statut_besoin": set(StatutBesoin.values),
    "statut_candidature": set(StatutPositionnement.values),
}
NOMS_CLAUSES = {
    Entite.DONNEUR_ORDRE: "donneurs_ordre",
    Entite.OPERATION: "operations",
    Entite.MARCHE: "marches",
    Entite.BESOIN: "besoins",
    Entite.CANDIDAT_EXTERNE: "candidats_externes",
    Entite.POSITIONNEMENT: "positionnements",
    Entite.HEURES: "heures",
}
ENTITES_CLAUSES = tuple(NOMS_CLAUSES)

DATES = {"date_debut", "date_fin", "date_naissance", "date_embauche", "date_fin_contrat"}
DECIMAUX = {"heures_prevues", "lot_heures", "heures_hebdo"}
BOOLEENS = {"rsa", "qpv", "rqth", "deld", "salarie_iae"}
ENTIERS = {"nb_postes"}
# Champ -> entité qu'il désigne par son identifiant dans la source.
REFERENCES = {
    "donneur_ordre": Entite.DONNEUR_ORDRE,
    "operation": Entite.OPERATION,
    "marche": Entite.MARCHE,
    "besoin": Entite.BESOIN,
    "participant": Entite.PARTICIPANT,
    "candidat_externe": Entite.CANDIDAT_EXTERNE,
}
# Valeurs acceptées pour oui / non (casse et accents ignorés).
OUI = {"oui", "o", "1", "vrai", "x", "true", "yes"}
NON = {"non", "n", "0", "faux", "false", "no"}
