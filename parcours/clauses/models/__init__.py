"""Clauses sociales d'insertion (DOMAIN §6) : qui achète, quoi, combien d'heures, pour qui.

- `DonneurOrdre` → `Operation` → `Marche` → `Lot` : la commande publique portant une clause, avec
  ses heures d'insertion prévues ; l'entreprise attributaire et ses sous-traitants.
- `CandidatExterne` : une personne qui n'est pas participante du PLIE, réduite aux données
  qu'exigent l'éligibilité et les bilans par public (RSA, QPV, RQTH, DELD…).
- `Besoin` : un poste à pourvoir exprimé par l'attributaire, recueilli par le facilitateur.
- `Positionnement` : une candidature (un participant OU un candidat externe) sur un besoin, avec
  son cycle de vie (proposée → éligibilité vérifiée → positionnée → retenue → embauchée) ; chaque
  changement écrit une ligne de `TransitionPositionnement` (qui, quand, de, vers, pourquoi).
- `HeuresRealisees` : les heures d'un mois, par marché et par personne (une ligne par mois : un
  nouvel import remplace).

Invariants tenus par la base : une personne XOR un candidat externe (positionnement, heures) ;
numéro de marché unique dans le PLIE ; mois = premier jour du mois ; heures positives ; dates de
fin après le début ; une seule candidature en cours par besoin et par personne.

Un module par sujet — `marches`, `candidats`, `besoins` (besoins et candidatures), `heures` ;
`contraintes` (celles qu'ils partagent). On importe les modèles de `parcours.clauses.models`.
"""

from parcours.clauses.models.besoins import (
    LIBELLES_TRANSITIONS,
    Besoin,
    BesoinQuerySet,
    Positionnement,
    PositionnementQuerySet,
    TransitionPositionnement,
)
from parcours.clauses.models.candidats import CandidatExterne
from parcours.clauses.models.heures import HeuresRealisees, JournalHeures
from parcours.clauses.models.marches import DonneurOrdre, Lot, Marche, Operation

__all__ = [
    "LIBELLES_TRANSITIONS",
    "Besoin",
    "BesoinQuerySet",
    "CandidatExterne",
    "DonneurOrdre",
    "HeuresRealisees",
    "JournalHeures",
    "Lot",
    "Marche",
    "Operation",
    "Positionnement",
    "PositionnementQuerySet",
    "TransitionPositionnement",
]
