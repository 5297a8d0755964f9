"""Lire un PDF produit par l'application comme le ferait un lecteur (pypdf).

On vérifie ce qui est réellement écrit dans le fichier (polices et tables ToUnicode de
WeasyPrint), pas le HTML qui l'a engendré. Les espaces sont normalisés : la mise en page coupe
les lignes, une phrase coupée se retrouve.
"""

import io

from pypdf import PdfReader


def texte_pdf(contenu: bytes) -> str:
    lecteur = PdfReader(io.BytesIO(contenu))
    return " ".join(" ".join(page.extract_text() for page in lecteur.pages).split())


def nombre_de_pages(contenu: bytes) -> int:
    return len(PdfReader(io.BytesIO(contenu)).pages)
