"""Les exports de listes en fichiers, streamés (docs/participants.md « Exports ») : CSV (`;`,
UTF-8 avec BOM, pour le tableur français) et XLSX, écrits ligne à ligne pendant l'envoi.

Mémoire plate : les lignes viennent d'un itérateur (un queryset lu par `iterator()`, curseur
côté serveur) et partent par morceaux ; rien n'est chargé en entier, ni les lignes ni le
fichier (le classeur est un zip écrit en flux, `zipfile` sur une sortie non adressable). Chaque
texte passe par `parcours.core.exports.neutraliser` (`=`, `+`, `-`, `@` en tête : préfixés
d'une apostrophe). `a_la_fin(nombre, complet)` est appelé quand l'envoi s'achève (ou est
interrompu) : l'écran y journalise qui, quand, quels filtres, combien de lignes.

Utilisation :
    colonnes = [Colonne("N°", lambda p: p.numero), Colonne("Naissance", lambda p: p.date)]
    return reponse("csv", "participants", colonnes, queryset.iterator(), a_la_fin=tracer)
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse
from django.utils import timezone

from parcours.core.exports import ligne_neutralisee

FORMATS = ("csv", "xlsx")
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LIGNES_PAR_MORCEAU = 500
_ILLEGAUX_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOQUE = datetime.date(1899, 12, 30)


@dataclass(frozen=True)
class Colonne:
    libelle: str
    valeur: Callable[[Any], Any]


def _cellules(colonnes, objet) -> list:
    return ligne_neutralisee(c.valeur(objet) for c in colonnes)


# — CSV —


class _Echo:
    def write(self, texte):
        return texte


def texte(valeur) -> str:
    """Une valeur comme le CSV l'écrit (et comme les écrans la montrent) : dates JJ/MM/AAAA,
    virgule décimale, oui/non."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime.datetime):
        return (
            f"{timezone.localtime(valeur) if timezone.is_aware(valeur) else valeur:%d/%m/%Y %H:%M}"
        )
    if isinstance(valeur, datetime.date):
        return f"{valeur:%d/%m/%Y}"
    if isinstance(valeur, (Decimal, float)):
        return str(valeur).replace(".", ",")
    return str(valeur)


def flux_csv(colonnes, lignes: Iterable, compteur: list) -> Iterator[bytes]:
    ecrivain = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff".encode() + ecrivain.writerow([c.libelle for c in colonnes]).encode()
    morceau = []
    for objet in lignes:
        morceau.append(ecrivain.writerow([texte(v) for v in _cellules(colonnes, objet)]))
        compteur[0] += 1
        if len(morceau) >= LIGNES_PAR_MORCEAU:
            yield "".join(morceau).encode()
            morceau.clear()
    if morceau:
        yield "".join(morceau).encode()


# — XLSX —


class _Sortie(io.RawIOBase):
    """Une sortie non adressable : `zipfile` y écrit en flux (descripteurs de données)."""

    def __init__(self):
        self.morceaux = []

    def writable(self):
        return True

    def write(self, donnees):
        self.morceaux.append(bytes(donnees))
        return len(donnees)

    def vider(self) -> bytes:
        donnees = b"".join(self.morceaux)
        self.morceaux.clear()
        return donnees


def _colonne(index: int) -> str:
    lettres = ""
    index += 1
    while index:
        index, reste = divmod(index - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def _cellule_xlsx(ref: str, valeur, style_texte: str = "") -> str:
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, bool):
        valeur = "oui" if valeur else "non"
    if isinstance(valeur, datetime.datetime):
        valeur = (timezone.localtime(valeur) if timezone.is_aware(valeur) else valeur).date()
    if isinstance(valeur, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(valeur - _EPOQUE).days}</v></c>'
    if isinstance(valeur, (int, float, Decimal)):
        return f'<c r="{ref}"><v>{valeur}</v></c>'
    texte = escape(_ILLEGAUX_XML.sub("", str(valeur)))
    return (
        f'<c r="{ref}" t="inlineStr"{style_texte}><is><t xml:space="preserve">{texte}</t></is></c>'
    )


def _ligne_xlsx(numero: int, valeurs, style_texte: str = "") -> str:
    cellules = "".join(
        _cellule_xlsx(f"{_colonne(i)}{numero}", v, style_texte) for i, v in enumerate(valeurs)
    )
    return f'<row r="{numero}">{cellules}</row>'


_NS = "http://schemas.openxmlformats.org"
_PARTIES_FIXES = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_NS}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{_NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_NS}/spreadsheetml/2006/'
        'main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/>'
        '<sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill>'
        '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
        '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" '
        'fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" '
        'borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" '
        'borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle '
        'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}


def _classeur(feuille: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}/spreadsheetml/2006/main" '
        f'xmlns:r="{_NS}/officeDocument/2006/relationships"><sheets><sheet '
        f'name="{escape(feuille[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def flux_xlsx(colonnes, lignes: Iterable, compteur: list, feuille="Export") -> Iterator[bytes]:
    sortie = _Sortie()
    with zipfile.ZipFile(sortie, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for nom, contenu in {**_PARTIES_FIXES, "xl/workbook.xml": _classeur(feuille)}.items():
            archive.writestr(nom, contenu)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as xml:
            xml.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}/'
                f'spreadsheetml/2006/main"><sheetData>'.encode()
            )
            xml.write(_ligne_xlsx(1, [c.libelle for c in colonnes], ' s="2"').encode())
            numero = 1
            for objet in lignes:
                numero += 1
                xml.write(_ligne_xlsx(numero, _cellules(colonnes, objet)).encode())
                compteur[0] += 1
                if numero % LIGNES_PAR_MORCEAU == 0:
                    yield sortie.vider()
            xml.write(b"</sheetData></worksheet>")
    yield sortie.vider()


# — Réponse —


def _journalise(flux: Iterator[bytes], compteur: list, a_la_fin) -> Iterator[bytes]:
    complet = False
    try:
        yield from flux
        complet = True
    finally:
        if a_la_fin is not None:
            a_la_fin(compteur[0], complet)


def reponse(
    format: str,
    nom: str,
    colonnes: list[Colonne],
    lignes: Iterable,
    *,
    a_la_fin: Callable[[int, bool], None] | None = None,
    feuille: str = "Export",
) -> StreamingHttpResponse:
    """La réponse streamée d'un export `format` (« csv » ou « xlsx ») des `lignes`."""
    if format not in FORMATS:
        raise ValueError(f"Format d'export inconnu : {format}")
    compteur = [0]
    if format == "csv":
        flux = flux_csv(colonnes, lignes, compteur)
    else:
        flux = flux_xlsx(colonnes, lignes, compteur, feuille)
    response = StreamingHttpResponse(
        _journalise(flux, compteur, a_la_fin), content_type=TYPES[format]
    )
    horodatage = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{nom}-{horodatage}.{format}"'
    response["Cache-Control"] = "no-store"
    return response
