"""Lire le texte d'un PDF produit par WeasyPrint, sans bibliothèque de lecture PDF.

Pourquoi pas une simple recherche dans les octets : WeasyPrint compresse ses flux (FlateDecode),
range les dictionnaires dans des flux d'objets (/ObjStm) et écrit le texte en numéros de glyphes
(`[<0026>0<0052>…] TJ`) propres à chaque sous-police. Le texte n'apparaît donc jamais en clair.
On refait ce que fait un lecteur : décompresser les flux, retrouver pour chaque police sa table
/ToUnicode, puis décoder chaque opérateur TJ/Tj avec la police active (`/NOM taille Tf`). Cela
vérifie le fichier réellement enregistré, pas seulement le HTML qui l'a produit.
"""

import re
import zlib

_OBJET = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_FLUX = re.compile(rb"^(.*?)stream\r?\n(.*)\r?\nendstream\s*$", re.S)


def _objets(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """numéro → (dictionnaire, flux décompressé ou None), objets des /ObjStm compris."""
    objets = {}
    for m in _OBJET.finditer(pdf):
        numero, corps = int(m.group(1)), m.group(2)
        flux = _FLUX.match(corps)
        if flux is None:
            objets[numero] = (corps, None)
            continue
        entete, donnees = flux.group(1), flux.group(2)
        if b"/FlateDecode" in entete:
            donnees = zlib.decompress(donnees)
        objets[numero] = (entete, donnees)
    for entete, donnees in list(objets.values()):
        if donnees is None or b"/Type /ObjStm" not in entete:
            continue
        premier = int(re.search(rb"/First (\d+)", entete).group(1))
        table = [int(x) for x in donnees[:premier].split()]
        paires = list(zip(table[::2], table[1::2], strict=True))
        for i, (numero, decalage) in enumerate(paires):
            fin = paires[i + 1][1] if i + 1 < len(paires) else len(donnees) - premier
            objets[numero] = (donnees[premier + decalage : premier + fin], None)
    return objets


def _cmap(donnees: bytes) -> dict[int, str]:
    table = {}
    for bloc in re.findall(rb"beginbfchar(.*?)endbfchar", donnees, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", bloc):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for bloc in re.findall(rb"beginbfrange(.*?)endbfrange", donnees, re.S):
        for debut, fin, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", bloc
        ):
            base = int(dst, 16)
            for k, code in enumerate(range(int(debut, 16), int(fin, 16) + 1)):
                table[code] = chr(base + k)
    return table


def _polices(objets) -> dict[bytes, dict[int, str]]:
    """Nom de ressource (/KTGASA) → table glyphe → texte."""
    polices = {}
    for corps, _ in objets.values():
        for ressources in re.findall(rb"/Font\s*<<(.*?)>>", corps, re.S):
            for nom, numero in re.findall(rb"/([A-Za-z0-9+_-]+)\s+(\d+) 0 R", ressources):
                police = objets.get(int(numero), (b"", None))[0]
                ref = re.search(rb"/ToUnicode (\d+) 0 R", police)
                if ref:
                    polices[nom] = _cmap(objets[int(ref.group(1))][1] or b"")
    for corps, _ in objets.values():  # dictionnaire /Font référencé indirectement
        for numero in re.findall(rb"/Font (\d+) 0 R", corps):
            dico = objets.get(int(numero), (b"", None))[0]
            for nom, ref_police in re.findall(rb"/([A-Za-z0-9+_-]+)\s+(\d+) 0 R", dico):
                police = objets.get(int(ref_police), (b"", None))[0]
                ref = re.search(rb"/ToUnicode (\d+) 0 R", police)
                if ref:
                    polices[nom] = _cmap(objets[int(ref.group(1))][1] or b"")
    return polices


# Police active, tableau TJ (chaînes hexadécimales : jamais de crochet dedans), chaîne Tj,
# déplacement (nouvelle ligne).
_OPERATIONS = re.compile(
    rb"/([A-Za-z0-9+_-]+)\s+[\d.]+\s+Tf"
    rb"|\[([^\[\]]*)\]\s*TJ"
    rb"|<([0-9a-fA-F]*)>\s*Tj"
    rb"|\b(Tm|Td|TD|T\*)"
)


def texte_pdf(pdf: bytes) -> str:
    """Le texte du PDF, une ligne par positionnement (Tm/Td), page après page."""
    objets = _objets(pdf)
    polices = _polices(objets)
    pages = []
    for numero in _pages(objets):
        ref = re.search(rb"/Contents (\d+) 0 R", objets[numero][0])
        if ref:
            pages.append(objets[int(ref.group(1))][1] or b"")
    lignes, ligne, table = [], [], {}
    for contenu in pages:
        for m in _OPERATIONS.finditer(contenu):
            police, tableau, simple, deplacement = m.groups()
            if police is not None:
                table = polices.get(police, {})
            elif deplacement is not None:
                if ligne:
                    lignes.append("".join(ligne))
                ligne = []
            else:
                chaines = re.findall(rb"<([0-9a-fA-F]*)>", tableau) if tableau else [simple]
                for chaine in chaines:
                    for i in range(0, len(chaine), 4):
                        ligne.append(table.get(int(chaine[i : i + 4], 16), "\ufffd"))
    if ligne:
        lignes.append("".join(ligne))
    return "\n".join(lignes)


def _pages(objets) -> list[int]:
    """Les numéros d'objet des pages, dans l'ordre de l'arbre /Pages (/Kids)."""
    pages = []
    racines = [c for c, _ in objets.values() if re.search(rb"/Type /Pages\b", c)]
    for racine in racines[:1]:
        for numero in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", racine).group(1)):
            pages.append(int(numero))
    return pages


def nombre_de_pages(pdf: bytes) -> int:
    """Le compte de pages déclaré (/Count) : doit concorder avec les pages trouvées."""
    objets = _objets(pdf)
    racine = next(c for c, _ in objets.values() if re.search(rb"/Type /Pages\b", c))
    compte = int(re.search(rb"/Count (\d+)", racine).group(1))
    assert compte == len(_pages(objets)), "arbre de pages incohérent"
    return compte


def texte_continu(pdf: bytes) -> str:
    """Le texte du PDF en une seule ligne (une phrase coupée en fin de ligne se retrouve)."""
    return " ".join(texte_pdf(pdf).split())
