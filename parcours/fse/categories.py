"""Les catégories DGEFP du questionnaire FSE+ et leur correspondance avec les nomenclatures du
projet (docs/fse.md, « Correspondances »).

- Diplôme : la nomenclature nationale des niveaux (1 à 8, 2019) que la prescription recueille
  se traduit dans les quatre catégories de la question 2 (seed 001:L8133-8143). Le niveau 1-2
  (« sans diplôme / savoirs de base ») donne « primaire, collège » : « inférieur au primaire »
  ne se déduit pas, il se choisit dans le questionnaire.
- Situation sur le marché du travail : la question 1 (seed 001:L8112-8131) ; le code DGEFP
  (1a… 1f) se lit de la situation et du type d'emploi.
"""

from parcours.fse.enums import DiplomeDgefp

# Niveau national (parcours.participants.enums.NiveauQualification) → catégorie DGEFP.
DIPLOME_DEPUIS_NIVEAU_NATIONAL = {
    1: DiplomeDgefp.PRIMAIRE_COLLEGE,
    2: DiplomeDgefp.PRIMAIRE_COLLEGE,
    3: DiplomeDgefp.SECONDAIRE,
    4: DiplomeDgefp.SECONDAIRE,
    5: DiplomeDgefp.SUPERIEUR,
    6: DiplomeDgefp.SUPERIEUR,
    7: DiplomeDgefp.SUPERIEUR,
    8: DiplomeDgefp.SUPERIEUR,
}


def diplome_depuis_niveau_national(niveau: int | None) -> str:
    """La catégorie DGEFP d'un niveau national ("" si le niveau est inconnu)."""
    if niveau is None:
        return ""
    return DIPLOME_DEPUIS_NIVEAU_NATIONAL.get(int(niveau), "")


# (situation, type d'emploi) → code de la question 1 du questionnaire DGEFP.
CODES_SITUATION = {
    ("en_emploi", "independant"): "1a",
    ("en_emploi", "durable"): "1b",
    ("en_emploi", "temporaire"): "1c",
    ("en_emploi", "aide"): "1d",
    ("en_formation", ""): "1e",
    ("demandeur_emploi", ""): "1f",
    ("inactif", ""): "1h",
}


def code_situation(situation: str, type_emploi: str = "") -> str:
    """Le code DGEFP de la situation à l'entrée ("" si la réponse est incomplète).

    « 1h » (ni en emploi, ni en formation, ni en recherche : inactif) n'est pas une case du
    questionnaire papier (« Non » à 1e et 1f) : code à confirmer avec le modèle d'import."""
    return CODES_SITUATION.get((situation or "", type_emploi or ""), "")
