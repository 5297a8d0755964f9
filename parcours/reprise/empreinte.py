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
    texte = json.dumps({k: _valeur(v) for k, v in sorted(valeurs.items())}, sort_keys=True)
    return hashlib.sha256(texte.encode()).hexdigest()
