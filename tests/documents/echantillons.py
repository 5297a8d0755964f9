"""Des fichiers d'essai, bons et hostiles, fabriqués à la volée (aucun fichier binaire au dépôt)."""

import functools
import io
import re
import zipfile

from PIL import Image

from parcours.accompagnement.chemins import PDF_MINIMAL

# Un nom de stockage : `<type>/<année>/<uuid4>.<extension>`, rien de personnel ni de séquentiel.
NOM_ALEATOIRE = r"{type}/\d{{4}}/[0-9a-f]{{32}}\.{extension}"


def nom_aleatoire(type_document: str, extension: str = "pdf") -> re.Pattern:
    return re.compile(NOM_ALEATOIRE.format(type=re.escape(type_document), extension=extension))


def image(format: str = "PNG", taille=(8, 8)) -> bytes:
    tampon = io.BytesIO()
    Image.new("RGB", taille, "navy").save(tampon, format)
    return tampon.getvalue()


PNG = image("PNG")
JPEG = image("JPEG")
PDF = PDF_MINIMAL
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
# Polyglottes : la signature du type attendu, puis du contenu actif.
PNG_SVG = b"\x89PNG\r\n\x1a\n" + SVG
PDF_HTML = b"%PDF-1.4\n" + HTML + b"\n%%EOF\n"


def docx(taille_document: int = 2000, macros: bool = False) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * taille_document)
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return tampon.getvalue()


def odt() -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return tampon.getvalue()


@functools.cache
def bombe_docx() -> bytes:
    """Une bombe de décompression : une soixantaine de kilo-octets, 60 Mo une fois décompressée."""
    return docx(taille_document=60 * 1024 * 1024)
