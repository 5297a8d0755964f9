"""Vocabulaire de l'éligibilité (docs/eligibilite.md) : types de critères et leurs paramètres,
codes de statut et de frein du format d'entrée « personne », libellés des explications.

Partagé par la validation de l'arbre (arbre.py), la personne (personne.py), les explications
(criteres.py) et la section `clauses`.
"""

# Codes de statut et de frein du format d'entrée « personne » (issue 3), avec leur libellé.
STATUTS = {
    "rsa": "RSA",
    "rsa_majore": "RSA majoré",
    "ass": "ASS",
    "aah": "AAH",
    "qpv": "QPV (quartier prioritaire)",
    "rqth": "RQTH",
    "ppsmj": "PPSMJ (sous main de justice)",
    "refugie": "réfugié (protection internationale)",
    "parent_isole": "parent isolé",
}
FREINS = {
    "mobilite": "mobilité",
    "logement": "logement",
    "sante": "santé",
    "garde_enfants": "garde d'enfants",
    "situation_familiale": "situation familiale",
    "justice": "justice",
    "competences_base": "compétences de base",
    "qualification_inadaptee": "qualification inadaptée",
    "experience": "expérience professionnelle",
}
SUIVIS = {"mission_locale": "la Mission locale", "cap_emploi": "Cap emploi"}
# Nomenclature nationale des niveaux de diplôme (2019) : 3 = CAP/BEP, 4 = bac, 5 = bac+2…
NIVEAU_MIN, NIVEAU_MAX = 1, 8
LIBELLES_NIVEAU = {
    1: "sans diplôme",
    2: "sans diplôme",
    3: "CAP, BEP",
    4: "bac",
    5: "bac+2",
    6: "bac+3",
    7: "bac+5",
    8: "doctorat",
}
# Un nœud de l'arbre est un groupe (une seule de ces clés) ou un critère (clé `type`).
GROUPES = ("tous", "un_parmi", "non")
LIBELLES_GROUPE = {
    "tous": "Toutes les conditions",
    "un_parmi": "Au moins une des conditions",
    "non": "Exclusion",
}
# Type de critère -> (paramètres obligatoires, paramètres facultatifs).
TYPES_CRITERE = {
    "residence": ((), ()),
    "age": ((), ("min", "max")),
    "statut": (("statuts",), ("depuis_mois_min",)),
    "chomage_longue_duree": (("mois_min",), ()),
    "rqth_valide": ((), ()),
    "niveau_qualification_max": (("max",), ()),
    "bac": (("attendu",), ()),
    "non_suivi": (("par",), ()),
    "via_clause": ((), ()),
    "freins": ((), ("parmi", "au_moins")),
}
PROFONDEUR_MAX = 20
