"""Ce qui dit qu'une ligne n'a pas changé depuis le passage précédent."""

import datetime
import decimal
import hashlib
import json


def _valeur(v):
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if hasattr(v, "pk"):
        return v.pk
    if isinstance(v, tuple):
        return [_valeur(x) for x in v]
    return v


def empreinte(valeurs: dict) -> str:
    """Les valeurs lues ; pas ce que la reprise en déduit (clés en `_`, comme la participation
    d'un questionnaire), qui peut changer sans que la ligne change."""
    lues = {k: _valeur(v) for k, v in sorted(valeurs.items()) if not k.startswith("_")}
    texte = json.dumps(lues, sort_keys=True)
    return hashlib.sha256(texte.encode()).hexdigest()
