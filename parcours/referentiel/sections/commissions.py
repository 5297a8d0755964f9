"""Section `commissions` (obligatoire) : le nom et la cadence des commissions d'entrée et de
sortie du PLIE, et si elles se tiennent par territoire (docs/commissions.md)."""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import ABSENT, Verificateur, contenu_en_vigueur

CLE = "commissions"
OBLIGATOIRE = True
TYPES_COMMISSION = ("entree", "sortie")


@dataclass(frozen=True)
class Commission:
    nom: str
    cadence_par_an: int
    par_territoire: bool  # une session par territoire (faux par défaut)
    # Décider avant le jour de la séance (consultation anticipée des membres) : faux par défaut,
    # aucune source ne le prévoit (docs/commissions.md « Quand décider »).
    decision_anticipee: bool = False


@dataclass(frozen=True)
class Commissions:
    entree: Commission
    sortie: Commission

    def pour(self, type_commission: str) -> Commission:
        """La commission `entree` ou `sortie`."""
        return self.sortie if type_commission == "sortie" else self.entree


def du_contenu(contenu: dict) -> Commissions:
    section = contenu[CLE]
    return Commissions(
        **{
            t: Commission(
                nom=section[t]["nom"],
                cadence_par_an=section[t]["cadence_par_an"],
                par_territoire=section[t].get("par_territoire", False),
                decision_anticipee=section[t].get("decision_anticipee", False),
            )
            for t in TYPES_COMMISSION
        }
    )


def de(plie, date: datetime.date | None = None) -> Commissions | None:
    """Les commissions du référentiel en vigueur, None sans référentiel."""
    contenu = contenu_en_vigueur(plie, date)
    return du_contenu(contenu) if contenu is not None else None


def valider(v: Verificateur, commissions) -> None:
    if not v.objet(commissions, "commissions", TYPES_COMMISSION):
        return
    for type_commission in TYPES_COMMISSION:
        c = commissions.get(type_commission)
        chemin = f"commissions.{type_commission}"
        facultatives = ("par_territoire", "decision_anticipee")
        if c is not ABSENT and v.objet(c, chemin, ("nom", "cadence_par_an"), facultatives):
            v.texte(c.get("nom", ABSENT), f"{chemin}.nom")
            v.entier(c.get("cadence_par_an", ABSENT), f"{chemin}.cadence_par_an", minimum=1)
            for cle in facultatives:
                if cle in c:
                    v.booleen(c[cle], f"{chemin}.{cle}")
