"""Les bilans du PLIE (issue 13, docs/bilans.md) : le bilan d'activité annuel et le bilan
d'exécution d'une opération FSE+ sur une période, en PDF et en XLSX.

Ils sont construits uniquement à partir du registre des indicateurs (`INDICATEURS`) : un
indicateur ajouté au registre entre dans les deux bilans sans code de plus. Le périmètre
(`Filtres`) est fixé par l'appelant après la politique d'accès (parcours/acces/bilans.py)."""

from parcours.reporting.bilans.donnees import (
    ORDRE_ACTIVITE,
    ORDRE_EXECUTION,
    Bilan,
    bilan_activite,
    bilan_execution,
    codes_du_bilan,
    periode_annee,
    periode_de_bilan,
)
from parcours.reporting.bilans.graphique import graphique_svg
from parcours.reporting.bilans.pdf import MENTION_UE, bilan_pdf
from parcours.reporting.bilans.xlsx import TYPE_XLSX, bilan_xlsx, ecrire_xlsx

__all__ = [
    "MENTION_UE",
    "ORDRE_ACTIVITE",
    "ORDRE_EXECUTION",
    "TYPE_XLSX",
    "Bilan",
    "bilan_activite",
    "bilan_execution",
    "bilan_pdf",
    "bilan_xlsx",
    "codes_du_bilan",
    "ecrire_xlsx",
    "graphique_svg",
    "periode_annee",
    "periode_de_bilan",
]
