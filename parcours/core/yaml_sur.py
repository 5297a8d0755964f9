"""Lire du YAML (référentiels, correspondances de reprise) avec le chargeur sûr en C.

`yaml.safe_load` prend le chargeur écrit en Python, dix fois plus lent : un référentiel complet
se lisait en ~0,1 s à chaque import (création d'un PLIE, tests). `CSafeLoader` construit les mêmes
objets (types de base seulement) ; sans libyaml, le chargeur Python."""

import yaml

CHARGEUR = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def lire_yaml(texte: str):
    return yaml.load(texte, Loader=CHARGEUR)  # noqa: S506 (chargeur sûr)
