"""Les filtres de gabarit des nombres, chargés d'office dans tous les gabarits (`builtins` de
TEMPLATES, config/settings.py) : `{{ valeur|nombre }}`, `{{ valeur|nombre:2 }}`,
`{{ valeur|heures }}`. L'écriture elle-même est celle du domaine (parcours/core/nombres.py)."""

from decimal import Decimal

from django import template

from parcours.core import nombres

register = template.Library()


def _decimales(arg):
    if arg in (None, ""):
        return None
    try:
        return int(arg)
    except (TypeError, ValueError):
        return None


def _est_un_nombre(valeur) -> bool:
    return isinstance(valeur, int | float | Decimal) and not isinstance(valeur, bool)


@register.filter(is_safe=True)
def nombre(valeur, decimales=None):
    """« 1 500 », « 1 500,00 » (`|nombre:2`), « 140,5 ». Ce qui n'est pas un nombre (texte déjà
    écrit, date, None) est rendu tel quel."""
    if not _est_un_nombre(valeur):
        return valeur
    return nombres.nombre(valeur, _decimales(decimales))


@register.filter(is_safe=True)
def heures(valeur, decimales=None):
    """« 140,50 h » ; une valeur absente reste absente (à compléter par `|default:"—"`)."""
    if not _est_un_nombre(valeur):
        return valeur
    return nombres.heures(valeur, _decimales(decimales))
