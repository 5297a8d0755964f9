"""Proportions du jeu à l'échelle N (N = nombre de participants visé).

À N = 100 000 : 20 PLIE, ~18 structures et ~104 comptes par PLIE, 5 000 participants par PLIE
(un gabarit de 100 dossiers par PLIE, copié 50 fois). Tout se divise par 100 à N = 1 000
(2 PLIE au moins : l'étanchéité entre PLIE reste mesurable).
"""

import math
from dataclasses import dataclass

PLIE_GABARIT = 2  # la démo charge deux PLIE (demo.donnees.PLIE_DEMO)
COMPTES_GABARIT = 13  # comptes par PLIE dans la démo (demo.donnees.COMPTES)
STRUCTURES_GABARIT = 9
# Octets par participant : ~16 Ko mesurés (tables et index), doublés par prudence.
OCTETS_PAR_PARTICIPANT = 30_000
OCTETS_FIXES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Echelle:
    participants: int
    copies_plie: int  # copies du gabarit de deux PLIE
    dossiers_gabarit: int  # participants du gabarit par PLIE
    copies_dossiers: int  # copies des dossiers du gabarit dans chaque PLIE
    equipes: int  # copies des comptes (et de leurs adhésions) dans chaque PLIE
    copies_structures: int

    @classmethod
    def pour(cls, participants: int) -> "Echelle":
        if participants < 1:
            raise ValueError("L'échelle doit être un nombre de participants positif.")
        plie = PLIE_GABARIT * max(1, round(participants / 10_000))
        dossiers = min(100, max(20, participants // 10))
        par_plie = participants / plie
        comptes_par_plie = participants / 50 / plie
        structures_par_plie = participants * 400 / 100_000 / plie
        equipes = max(1, round(comptes_par_plie / COMPTES_GABARIT))
        return cls(
            participants=participants,
            copies_plie=plie // PLIE_GABARIT,
            dossiers_gabarit=dossiers,
            copies_dossiers=max(1, round(par_plie / dossiers)),
            equipes=equipes,
            copies_structures=min(equipes, max(1, round(structures_par_plie / STRUCTURES_GABARIT))),
        )

    @property
    def plie(self) -> int:
        return self.copies_plie * PLIE_GABARIT

    def octets_estimes(self) -> int:
        return OCTETS_FIXES + self.participants * OCTETS_PAR_PARTICIPANT

    def resume(self) -> str:
        return (
            f"{self.plie} PLIE, ~{self.plie * self.dossiers_gabarit * self.copies_dossiers} "
            f"participants ({self.dossiers_gabarit} par PLIE dans le gabarit × "
            f"{self.copies_dossiers}), {self.equipes} équipe(s) de comptes par PLIE, "
            f"~{math.ceil(self.octets_estimes() / 1024**2)} Mo estimés"
        )
