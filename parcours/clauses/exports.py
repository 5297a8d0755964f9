"""Les rapports de clauses en fichiers : XLSX (openpyxl en écriture seule) et PDF (WeasyPrint).

Un rapport est une liste de `Tableau` (titre, colonnes, lignes, total) précédée d'une synthèse
(`Rapport.synthese`, paires libellé → valeur) : le même contenu est écrit dans le classeur (une
feuille par tableau) et dans le PDF (un tableau par section), pour que les deux disent la même
chose. Le PDF porte la mention « Cofinancé par l'Union européenne » et l'emblème (DOMAIN §7).
"""

import datetime
import io
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from parcours.core.embleme import etoiles_embleme_ue
from parcours.core.exports import neutraliser, nom_de_feuille
from parcours.core.nombres import nombre

MENTION_UE = "Cofinancé par l'Union européenne"
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Formats de colonne : comment une valeur s'écrit dans le classeur et dans le PDF.
# CODE : une référence (numéro de marché, SIRET) qu'on ne coupe pas en fin de ligne.
TEXTE, CODE, ENTIER, HEURES, TAUX = "texte", "code", "entier", "heures", "taux"
_NON_NUMERIQUES = (TEXTE, CODE)
_FORMATS_XLSX = {ENTIER: "0", HEURES: "#,##0.00", TAUX: "0.0%"}


@dataclass(frozen=True)
class Colonne:
    libelle: str
    format: str = TEXTE


@dataclass
class Tableau:
    titre: str
    colonnes: list[Colonne]
    lignes: list[tuple]
    total: tuple | None = None
    note: str = ""


@dataclass
class Rapport:
    titre: str
    sous_titre: str
    plie: object
    synthese: list[tuple[str, object, str]] = field(default_factory=list)  # libellé, valeur, format
    tableaux: list[Tableau] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    edite_le: datetime.datetime = field(default_factory=timezone.now)


def taux(realisees, prevues) -> Decimal | None:
    """Heures réalisées / prévues (fraction, 0,5 = 50 %) ; None sans heures prévues."""
    if not prevues:
        return None
    return (Decimal(realisees or 0) / Decimal(prevues)).quantize(Decimal("0.0001"))


def format_valeur(valeur, fmt: str) -> str:
    """L'écriture française d'une valeur pour le PDF et les écrans (espace fine, virgule)."""
    if valeur is None or valeur == "":
        return "—"
    if fmt == ENTIER:
        return nombre(int(valeur))
    if fmt == HEURES:
        return nombre(valeur, 2)
    if fmt == TAUX:
        return nombre(Decimal(valeur) * 100, 1) + "\u00a0%"
    if isinstance(valeur, datetime.date):
        return f"{valeur:%d/%m/%Y}"
    return str(valeur)


def _valeur_xlsx(valeur, fmt: str):
    if valeur is None:
        return None
    if fmt in (HEURES, TAUX):
        return float(valeur)
    if fmt == ENTIER:
        return int(valeur)
    # Un nom saisi (« =HYPERLINK(…) ») ne devient jamais une formule chez qui ouvre le fichier.
    return valeur if isinstance(valeur, datetime.date | int | float) else neutraliser(str(valeur))


def rapport_xlsx(rapport: Rapport) -> bytes:
    """Le classeur en octets (tests, petits rapports)."""
    with tempfile.TemporaryFile() as fichier:
        ecrire_xlsx(rapport, fichier)
        fichier.seek(0)
        return fichier.read()


def ecrire_xlsx(rapport: Rapport, fichier) -> None:
    """Écrit le classeur dans `fichier` (binaire) : une feuille « Synthèse », puis une feuille
    par tableau (en-tête gelé). En écriture seule, les lignes partent au fil de l'eau ; la vue
    envoie ensuite le fichier par morceaux (FileResponse)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    gras = Font(bold=True)
    classeur = Workbook(write_only=True)
    pris: set[str] = set()

    def cellule(feuille, valeur, fmt=TEXTE, en_gras=False):
        c = WriteOnlyCell(feuille, value=_valeur_xlsx(valeur, fmt))
        if fmt in _FORMATS_XLSX:
            c.number_format = _FORMATS_XLSX[fmt]
        if en_gras:
            c.font = gras
        return c

    synthese = classeur.create_sheet(nom_de_feuille("Synthèse", pris))
    synthese.column_dimensions["A"].width = 45
    synthese.column_dimensions["B"].width = 20
    synthese.append([cellule(synthese, rapport.titre, en_gras=True)])
    synthese.append([cellule(synthese, rapport.sous_titre)])
    edite_le = timezone.localtime(rapport.edite_le)
    synthese.append([cellule(synthese, f"{rapport.plie.nom} — édité le {edite_le:%d/%m/%Y}")])
    synthese.append([MENTION_UE])
    synthese.append([])
    for libelle, valeur, fmt in rapport.synthese:
        synthese.append([cellule(synthese, libelle), cellule(synthese, valeur, fmt)])
    if rapport.notes:
        synthese.append([])
        for note in rapport.notes:
            synthese.append([cellule(synthese, note)])

    for tableau in rapport.tableaux:
        feuille = classeur.create_sheet(nom_de_feuille(tableau.titre, pris))
        feuille.freeze_panes = "A2"
        for i, colonne in enumerate(tableau.colonnes):
            lettre = chr(ord("A") + i) if i < 26 else None
            if lettre:
                large = colonne.format in _NON_NUMERIQUES
                feuille.column_dimensions[lettre].width = 30 if large else 14
        feuille.append([cellule(feuille, c.libelle, en_gras=True) for c in tableau.colonnes])
        for ligne in tableau.lignes:
            paires = zip(ligne, tableau.colonnes, strict=True)
            feuille.append([cellule(feuille, v, c.format) for v, c in paires])
        if tableau.total is not None:
            feuille.append(
                [
                    cellule(feuille, v, c.format, en_gras=True)
                    for v, c in zip(tableau.total, tableau.colonnes, strict=True)
                ]
            )
        if tableau.note:
            feuille.append([])
            feuille.append([cellule(feuille, tableau.note)])

    classeur.save(fichier)


def _classe(fmt: str) -> str:
    return "code" if fmt == CODE else ("" if fmt in _NON_NUMERIQUES else "n")


def tableau_affiche(tableau: Tableau) -> dict:
    """Le tableau mis en forme pour un gabarit (PDF ou écran) : textes à la française."""

    def formater(ligne):
        return [
            {"texte": format_valeur(v, c.format), "classe": _classe(c.format)}
            for v, c in zip(ligne, tableau.colonnes, strict=True)
        ]

    return {
        "titre": tableau.titre,
        "colonnes": [{"libelle": c.libelle, "classe": _classe(c.format)} for c in tableau.colonnes],
        "lignes": [formater(ligne) for ligne in tableau.lignes],
        "total": formater(tableau.total) if tableau.total is not None else None,
        "note": tableau.note,
    }


def rapport_pdf(rapport: Rapport) -> bytes:
    contexte = {
        "titre": rapport.titre,
        "sous_titre": rapport.sous_titre,
        "plie": rapport.plie,
        "edite_le": timezone.localtime(rapport.edite_le),
        "synthese": [(libelle, format_valeur(v, fmt)) for libelle, v, fmt in rapport.synthese],
        "tableaux": [tableau_affiche(t) for t in rapport.tableaux],
        "notes": rapport.notes,
        "mention_ue": MENTION_UE,
        "etoiles": etoiles_embleme_ue(),
    }
    html = render_to_string("clauses/rapports/rapport_pdf.html", contexte)
    sortie = io.BytesIO()
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(sortie)
    return sortie.getvalue()
