"""Section facultative `objectifs` : les objectifs annuels du protocole d'accord du PLIE
(001:L399-403 : « Intégrer 1500 participants sur 5 ans […] Réaliser 680 sorties positives sur 5
ans »), que l'indicateur `objectifs_protocole` compare au réalisé (docs/indicateurs.md).

Chaque clé est facultative : absente, le PLIE n'a pas d'objectif de ce genre (rien inventé)."""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import ABSENT, Verificateur, contenu_en_vigueur

CLE = "objectifs"
OBLIGATOIRE = False
CLES = ("entrees_par_an", "sorties_positives_par_an", "taux_sorties_positives")


@dataclass(frozen=True)
class Objectifs:
    entrees_par_an: int | None = None
    sorties_positives_par_an: int | None = None
    taux_sorties_positives: int | None = None  # en %, des sorties de l'année


def du_contenu(contenu: dict | None) -> Objectifs:
    section = (contenu or {}).get(CLE) or {}
    return Objectifs(**{cle: section.get(cle) for cle in CLES})


def de(plie, date: datetime.date | None = None) -> Objectifs:
    """Les objectifs en vigueur (aujourd'hui par défaut) ; aucun sans référentiel."""
    return du_contenu(contenu_en_vigueur(plie, date))


def valider(v: Verificateur, section) -> None:
    if v.objet(section, CLE, (), CLES):
        for cle in CLES[:2]:
            v.entier(section.get(cle, ABSENT), f"{CLE}.{cle}", minimum=0)
        v.entier(section.get(CLES[2], ABSENT), f"{CLE}.{CLES[2]}", minimum=0, maximum=100)
