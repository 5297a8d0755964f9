"""Outils des tests du moteur de sortie : contrats abrégés, référentiels du dépôt."""

import datetime
import functools
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings

from parcours.emploi.qualification import ContratEvalue, Regle, Situation

REFERENTIELS = Path(settings.BASE_DIR) / "referentiels"


def d(texte: str) -> datetime.date:
    return datetime.date.fromisoformat(texte)


def contrat(type, employeur, debut, fin=None, hebdo=35, heures=None, client=None):
    return ContratEvalue(
        type=type,
        employeur=employeur,
        debut=d(debut),
        fin=d(fin) if fin else None,
        heures_hebdo=None if hebdo is None else Decimal(str(hebdo)),
        heures=None if heures is None else Decimal(str(heures)),
        client=client,
    )


def situation(date, *contrats, age=40, accord=False):
    return Situation(
        date=d(date) if isinstance(date, str) else date,
        age=age,
        accord_temps_partiel=accord,
        contrats=tuple(contrats),
    )


@functools.cache
def sortie(code: str) -> dict:
    """La section `sortie` de referentiels/<code>.yaml."""
    contenu = yaml.safe_load((REFERENTIELS / f"{code}.yaml").read_text(encoding="utf-8"))
    return contenu["sortie"]


def regle(code_referentiel: str, code_regle: str) -> Regle:
    section = sortie(code_referentiel)
    for rang, donnees in enumerate(section["regles"]):
        if donnees["code"] == code_regle:
            return Regle(donnees, section, rang)
    raise KeyError(f"{code_referentiel} : pas de règle {code_regle}")


@functools.cache
def referentiels_avec_sortie() -> tuple[str, ...]:
    return tuple(
        sorted(
            p.stem
            for p in REFERENTIELS.glob("*.yaml")
            if "sortie" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})
        )
    )
