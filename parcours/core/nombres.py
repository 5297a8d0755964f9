"""L'écriture française des nombres, une seule fois pour les écrans, les messages et les PDF :
virgule décimale, milliers séparés par une espace fine insécable (« 1 500,00 », « 140,50 h »).

Les gabarits s'en servent par les filtres `nombre` et `heures` (`{% load plie %}`,
workflows/templatetags/plie.py) ; les messages du domaine appellent `nombre()` et `heures()`.
Les exports (CSV, XLSX, JSON de la ligne de commande) gardent les valeurs brutes.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# U+202F, espace fine insécable : ni coupure de ligne au milieu d'un nombre, ni espace trop large.
SEPARATEUR_MILLIERS = "\u202f"
# Avant l'unité, une espace ordinaire, comme dans les messages du domaine (« 35 h par semaine »).
AVANT_UNITE = " "


def _decimal(valeur) -> Decimal | None:
    if valeur is None or valeur == "" or isinstance(valeur, bool):
        return None
    if isinstance(valeur, Decimal):
        return valeur
    if isinstance(valeur, float):
        # Un flottant n'a pas de nombre de décimales : deux au plus, sans zéros inutiles.
        return Decimal(repr(valeur)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    try:
        return Decimal(str(valeur))
    except InvalidOperation:
        return None


def nombre(valeur, decimales: int | None = None) -> str:
    """« 1 500 », « 1 500,00 », « 140,5 ».

    `decimales` : le nombre de chiffres après la virgule (arrondi au plus proche) ; None : ceux
    de la valeur (un `Decimal` de la base garde les siens : 140.50 → « 140,50 »). Une valeur qui
    n'est pas un nombre est rendue telle quelle ; None et "" donnent "".
    """
    d = _decimal(valeur)
    if d is None:
        return "" if valeur is None else str(valeur)
    if not d.is_finite():
        return str(valeur)
    if decimales is not None:
        d = d.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    elif d == d.to_integral_value() and d.as_tuple().exponent > 0:
        d = d.quantize(Decimal(1))  # 1E+3 → 1000
    signe = "-" if d < 0 else ""
    entier, _, fraction = f"{abs(d):f}".partition(".")
    groupes = []
    while entier:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    texte = signe + SEPARATEUR_MILLIERS.join(groupes or ["0"])
    return f"{texte},{fraction}" if fraction else texte


def heures(valeur, decimales: int | None = None) -> str:
    """« 140,50 h » ; "" pour une valeur absente."""
    texte = nombre(valeur, decimales)
    return f"{texte}{AVANT_UNITE}h" if texte else ""
