"""Outils des tests du moteur de sortie : contrats abrégés, référentiels du dépôt."""

import datetime
import functools
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings

from parcours.emploi.qualification import ContratEvalue, Regle, Situation
from parcours.referentiel.sections import sortie as section_sortie

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
def section(code: str) -> dict:
    """La section `sortie` de referentiels/<code>.yaml, telle que dans le fichier."""
    contenu = yaml.safe_load((REFERENTIELS / f"{code}.yaml").read_text(encoding="utf-8"))
    return contenu["sortie"]


@functools.cache
def sortie(code: str) -> section_sortie.Sortie:
    """Les règles de sortie de referentiels/<code>.yaml, lues par le référentiel."""
    return section_sortie.lire(section(code))


def regle(code_referentiel: str, code_regle: str) -> Regle:
    try:
        return Regle(sortie(code_referentiel).regle(code_regle))
    except KeyError:
        raise KeyError(f"{code_referentiel} : pas de règle {code_regle}") from None


@functools.cache
def referentiels_avec_sortie() -> tuple[str, ...]:
    return tuple(
        sorted(
            p.stem
            for p in REFERENTIELS.glob("*.yaml")
            if "sortie" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})
        )
    )
