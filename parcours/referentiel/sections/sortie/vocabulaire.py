"""Vocabulaire des règles de sortie : les types de contrat et les catégories de sortie positive
que les règles citent par code (DOMAIN §2.5 et §2.6).

Les contrats enregistrés (parcours/emploi) utilisent les mêmes énumérations : elles sont
déclarées ici, sous l'application `emploi`, pour que le référentiel n'importe pas cette
application (parcours/emploi/enums.py les reprend).
"""

from django.db import models


class TypeContrat(models.TextChoices):
    """Types de contrat (DOMAIN §2.5) ; les règles de sortie du référentiel les citent par code."""

    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    INTERIM = "interim", "Intérim (contrat de travail temporaire)"
    CONTRAT_AIDE = "contrat_aide", "Contrat aidé hors IAE (CUI-CIE, PEC)"
    CDDI_ACI = "cddi_aci", "CDDI en atelier et chantier d'insertion (ACI)"
    CDDI_EI = "cddi_ei", "CDDI en entreprise d'insertion (EI)"
    AI = "ai", "Association intermédiaire (AI)"
    ETTI = "etti", "Entreprise de travail temporaire d'insertion (ETTI)"
    APPRENTISSAGE = "apprentissage", "Contrat d'apprentissage"
    PROFESSIONNALISATION = "professionnalisation", "Contrat de professionnalisation"
    CESU = "cesu", "CESU (chèque emploi service universel)"
    CREATION_ENTREPRISE = "creation_entreprise", "Création d'entreprise"
    FORMATION_QUALIFIANTE = "formation_qualifiante", "Formation qualifiante"
    FONCTION_PUBLIQUE = "fonction_publique", "Fonction publique"


class CategorieQualification(models.TextChoices):
    """Catégorie de sortie positive qu'une règle du référentiel reconnaît (DOMAIN §2.6)."""

    EMPLOI_DURABLE = "emploi_durable", "Emploi durable"
    SORTIE_DYNAMIQUE = "sortie_dynamique", "Sortie dynamique"
    EMPLOI_TRANSITION = "emploi_transition", "Emploi de transition"
    SORTIE_POSITIVE = "sortie_positive", "Sortie positive"
    FORMATION_QUALIFIANTE = "formation_qualifiante", "Formation qualifiante"
    CREATION_ENTREPRISE = "creation_entreprise", "Création d'entreprise"


# Le type de contrat tel qu'une explication le cite (« 6 mois sans interruption de CDD »).
LIBELLES_COURTS = {
    "cdi": "CDI",
    "cdd": "CDD",
    "interim": "intérim",
    "contrat_aide": "contrat aidé",
    "cddi_aci": "CDDI en ACI",
    "cddi_ei": "CDDI en EI",
    "ai": "AI",
    "etti": "ETTI",
    "apprentissage": "apprentissage",
    "professionnalisation": "professionnalisation",
    "cesu": "CESU",
    "creation_entreprise": "création d'entreprise",
    "formation_qualifiante": "formation qualifiante",
    "fonction_publique": "fonction publique",
}


def ordonnes(types) -> list[str]:
    """Les types dans l'ordre de TypeContrat (explications stables)."""
    return [t for t in TypeContrat.values if t in types]
