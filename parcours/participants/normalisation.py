"""Forme de recherche des noms : sans accents, sans casse, espaces et tirets réduits.

Le serveur embarqué n'a pas l'extension `unaccent` : la forme normalisée est calculée ici et
stockée dans une colonne indexée, ce qui donne le même résultat sur tout PostgreSQL.
"""

import re
import unicodedata

_SEPARATEURS = re.compile(r"[\s\-'’.]+")


def normaliser(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte or "")
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    sans_accents = sans_accents.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    return _SEPARATEURS.sub(" ", sans_accents.casefold()).strip()
