"""L'export Ma Démarche FSE d'une opération (docs/fse.md) : le fichier des entrées et celui des
sorties au format CSV d'intégration en masse (`colonnes`), le contrôle préalable qui nomme chaque
participant incomplet ou incohérent (`controle`), l'écriture streamée et journalisée (`export`)."""

from parcours.reporting.ma_demarche_fse.colonnes import COLONNES_ENTREES, COLONNES_SORTIES
from parcours.reporting.ma_demarche_fse.controle import Anomalie, controler
from parcours.reporting.ma_demarche_fse.export import Export, preparer_export

__all__ = [
    "COLONNES_ENTREES",
    "COLONNES_SORTIES",
    "Anomalie",
    "Export",
    "controler",
    "preparer_export",
]
