"""Moteur de qualification des sorties positives (docs/sortie.md) : domaine pur, sans base.

`evaluer_sortie(regles, situation)` dit si les contrats d'une personne remplissent une règle de
sortie positive du référentiel de son PLIE (section `sortie`), depuis quand, ou quand ils la
rempliront si les contrats en cours continuent, et l'explique en français.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ContratEvalue:
    """Un contrat tel que le moteur le voit. `fin` absente : contrat en cours (sans terme connu).

    `heures_hebdo` : durée hebdomadaire prévue ; `heures` : heures réellement travaillées sur tout
    le contrat (missions d'intérim), prioritaires sur le calcul hebdomadaire quand elles sont
    données. `client` : l'entreprise utilisatrice (intérim, ETTI). Pour une création d'entreprise,
    `debut` est la date d'immatriculation (RCS/RM).
    """

    type: str
    employeur: str
    debut: datetime.date
    fin: datetime.date | None
    heures_hebdo: Decimal | None
    heures: Decimal | None = None
    client: str | None = None


@dataclass(frozen=True)
class Situation:
    """Ce que le moteur évalue : les contrats connus à la date `date`, l'âge à cette date et
    l'accord du participant pour un temps partiel (« temps réduit si volontariat »)."""

    date: datetime.date
    age: int | None
    accord_temps_partiel: bool
    contrats: tuple[ContratEvalue, ...]


@dataclass(frozen=True)
class Qualification:
    """Résultat : la règle retenue (ou la plus proche quand aucune n'est remplie)."""

    qualifie: bool
    categorie: str | None
    regle: str | None
    atteint_le: datetime.date | None
    previsionnel_le: datetime.date | None
    validation_commission_requise: bool
    explication: str

    def as_dict(self) -> dict:
        return {
            "qualifie": self.qualifie,
            "categorie": self.categorie,
            "regle": self.regle,
            "atteint_le": self.atteint_le.isoformat() if self.atteint_le else None,
            "previsionnel_le": self.previsionnel_le.isoformat() if self.previsionnel_le else None,
            "validation_commission_requise": self.validation_commission_requise,
            "explication": self.explication,
        }


class AucunReferentiel(LookupError):
    """Aucune version de référentiel n'est en vigueur pour ce PLIE à cette date."""


def regles_de_sortie(plie, date=None) -> dict:
    """La section `sortie` du référentiel du PLIE en vigueur à `date` (aujourd'hui par défaut).

    Lève AucunReferentiel s'il n'y a aucune version en vigueur ; renvoie {} si la version en
    vigueur ne définit pas de règles de sortie (evaluer_sortie dira alors « aucune règle »).
    """
    from parcours.referentiel.models import Referentiel

    referentiel = Referentiel.objects.en_vigueur(plie, date)
    if referentiel is None:
        quand = f" au {date:%d/%m/%Y}" if date else ""
        raise AucunReferentiel(f"Aucun référentiel en vigueur pour {plie}{quand}.")
    return referentiel.contenu.get("sortie") or {}


def evaluer_sortie(regles: dict, situation: Situation) -> Qualification:
    """Évalue toutes les règles de `regles` (section `sortie` d'un référentiel) sur la situation."""
    raise NotImplementedError("moteur de sortie en cours d'écriture")
