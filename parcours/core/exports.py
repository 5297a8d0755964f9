"""Ce que tout fichier exporté (XLSX, CSV) fait de chaque cellule : `neutraliser`.

Un texte saisi dans l'application qui commence par `=`, `+`, `-` ou `@` (ou une tabulation, un
retour chariot, un saut de ligne) serait lu comme une formule par le tableur de qui ouvre le
fichier : une opération nommée `=HYPERLINK("http://…")` deviendrait un lien actif chez le
donneur d'ordre (injection de formule, OWASP « CSV injection »). Ces textes sont préfixés d'une
apostrophe ; nombres et dates restent des valeurs typées (le tableur calcule dessus).
"""

DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutraliser(valeur):
    """La valeur à écrire dans la cellule : un texte qui commencerait une formule est préfixé
    de « ' » ; toute autre valeur (nombre, date, None) est rendue telle quelle."""
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur


def ligne_neutralisee(valeurs) -> list:
    """Une ligne de CSV ou de classeur, chaque cellule neutralisée."""
    return [neutraliser(v) for v in valeurs]
