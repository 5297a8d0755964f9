# Les types de contrat et les catégories de sortie sont le vocabulaire des règles de sortie du
# référentiel, qui les déclare (le référentiel n'importe pas l'application emploi).
from parcours.referentiel.sections.sortie.vocabulaire import CategorieQualification, TypeContrat

__all__ = ["TYPES_IAE", "CategorieQualification", "TypeContrat"]

# Contrats de l'insertion par l'activité économique (SIAE).
TYPES_IAE = (TypeContrat.CDDI_ACI, TypeContrat.CDDI_EI, TypeContrat.AI, TypeContrat.ETTI)
