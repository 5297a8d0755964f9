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


def nom_de_feuille(titre: str, pris: set, defaut: str = "Feuille") -> str:
    """Le nom d'une feuille de classeur : 31 caractères au plus, sans []:*?/\\ ni apostrophe en
    bord, unique dans le classeur sans tenir compte de la casse (comme le tableur) ; `pris`
    reçoit les noms déjà donnés."""
    nom = "".join(c for c in str(titre) if c not in "[]:*?/\\")[:31].strip("' ") or defaut
    base, n = nom, 2
    while nom.lower() in pris:
        suffixe = f" ({n})"
        nom, n = base[: 31 - len(suffixe)] + suffixe, n + 1
    pris.add(nom.lower())
    return nom
