"""Le bilan en classeur XLSX (openpyxl en écriture seule, comme les rapports de clauses) : une
feuille « Synthèse » (en-tête du bilan, puis la liste des indicateurs et de leur feuille), puis
une feuille par indicateur (en-têtes, lignes, définition en note sous le tableau).

Nombres et dates restent typés (le tableur calcule dessus) ; tout texte passe par
`neutraliser` : un libellé saisi qui commencerait par `=` ne devient jamais une formule."""

import datetime
import tempfile
from decimal import Decimal

from django.utils import timezone

from parcours.core.exports import neutraliser, nom_de_feuille

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MENTION_UE = "Cofinancé par l'Union européenne"
SYNTHESE = "Synthèse"


def _valeur(valeur):
    if valeur is None:
        return None
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal):
        return float(valeur)
    if isinstance(valeur, int | float | datetime.date):
        return valeur
    return neutraliser(str(valeur))


def ecrire_xlsx(bilan, fichier) -> list[str]:
    """Écrit le classeur dans `fichier` (binaire) ; rend les noms des feuilles d'indicateurs,
    dans l'ordre des tableaux du bilan."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    gras = Font(bold=True)
    classeur = Workbook(write_only=True)
    pris: set[str] = set()

    def cellule(feuille, valeur, en_gras=False):
        c = WriteOnlyCell(feuille, value=_valeur(valeur))
        if isinstance(valeur, datetime.date):
            c.number_format = "DD/MM/YYYY"
        if en_gras:
            c.font = gras
        return c

    synthese = classeur.create_sheet(nom_de_feuille(SYNTHESE, pris))
    synthese.column_dimensions["A"].width = 42
    synthese.column_dimensions["B"].width = 32
    synthese.column_dimensions["C"].width = 80
    edite_le = timezone.localtime(bilan.edite_le)
    synthese.append([cellule(synthese, bilan.titre, en_gras=True)])
    synthese.append([cellule(synthese, bilan.objet)])
    for libelle, valeur in (
        ("PLIE", bilan.plie.nom),
        ("Période du", bilan.periode.du),
        ("Période au", bilan.periode.au),
        ("Édité le", f"{edite_le:%d/%m/%Y à %H:%M}"),
        ("Par", bilan.par),
    ):
        synthese.append([cellule(synthese, libelle), cellule(synthese, valeur)])
    synthese.append([MENTION_UE])
    synthese.append([])
    synthese.append(
        [cellule(synthese, c, en_gras=True) for c in ("Indicateur", "Feuille", "Définition")]
    )

    feuilles = [nom_de_feuille(t.titre, pris, "Indicateur") for t in bilan.tableaux]
    for tableau, nom in zip(bilan.tableaux, feuilles, strict=True):
        synthese.append(
            [
                cellule(synthese, tableau.titre),
                cellule(synthese, nom),
                cellule(synthese, tableau.definition),
            ]
        )

    for tableau, nom in zip(bilan.tableaux, feuilles, strict=True):
        feuille = classeur.create_sheet(nom)
        feuille.freeze_panes = "A2"
        feuille.column_dimensions["A"].width = 36
        feuille.append([cellule(feuille, c, en_gras=True) for c in tableau.colonnes])
        for ligne in tableau.lignes:
            feuille.append([cellule(feuille, v) for v in ligne])
        feuille.append([])
        note = f"Définition : {tableau.definition}" if tableau.definition else "Définition : —"
        if tableau.unite:
            note += f" Unité : {tableau.unite}."
        feuille.append([cellule(feuille, note)])

    classeur.save(fichier)
    return feuilles


def bilan_xlsx(bilan) -> bytes:
    """Le classeur en octets (tests, petits bilans)."""
    with tempfile.TemporaryFile() as fichier:
        ecrire_xlsx(bilan, fichier)
        fichier.seek(0)
        return fichier.read()
