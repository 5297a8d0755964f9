"""Les bilans des clauses d'insertion (DOMAIN §6, 002:L619-644), calculés en SQL.

Chaque fonction reçoit un périmètre déjà filtré par la politique d'accès (les marchés que
l'utilisateur voit : `acces.marches_visibles`) et une période facultative (mois de début et de
fin, inclus) ; elle agrège en base (`annotate` / `aggregate`) en un nombre de requêtes qui ne
dépend pas du volume. Aucune donnée personnelle n'en sort : des totaux et des effectifs.

Définitions (docs/heures.md) :
- heures prévues : `Marche.heures_prevues` (le marché entier, quelle que soit la période) ;
- heures réalisées : somme des `HeuresRealisees` des mois de la période ;
- personnes : personnes distinctes ayant des heures sur la période (participants et candidats
  externes) ;
- publics : femmes (sexe), moins de 26 ans (âge au mois des heures : une personne compte si elle
  avait moins de 26 ans l'un des mois travaillés), RSA (socle ou majoré), QPV, RQTH — pour un
  participant, les statuts déclarés à sa prescription dans ce PLIE ; pour un candidat externe,
  ses cases RSA / QPV / RQTH.

Un module par bilan : `periode` (la période, les heures du périmètre), `heures` (prévu, réalisé,
taux), `publics` (équité), `contrats` (types de contrat, emploi à 6 et 12 mois), `impact` (le
tableau d'impact d'un donneur d'ordre), `tableau_de_bord` (le tableau mensuel du facilitateur).
"""

from parcours.clauses.rapports.contrats import (
    JALONS,
    contrats_par_mois,
    emploi_apres_embauche,
    types_de_contrat,
)
from parcours.clauses.rapports.heures import (
    bilan_heures,
    par_donneur_ordre,
    par_entreprise,
    par_marche,
    par_operation,
    totaux,
)
from parcours.clauses.rapports.impact import tableau_impact
from parcours.clauses.rapports.periode import Periode, heures_du_perimetre
from parcours.clauses.rapports.publics import PUBLICS, publics, publics_par_donneur
from parcours.clauses.rapports.tableau_de_bord import COMPTEURS, tableau_de_bord

__all__ = [
    "COMPTEURS",
    "JALONS",
    "PUBLICS",
    "Periode",
    "bilan_heures",
    "contrats_par_mois",
    "emploi_apres_embauche",
    "heures_du_perimetre",
    "par_donneur_ordre",
    "par_entreprise",
    "par_marche",
    "par_operation",
    "publics",
    "publics_par_donneur",
    "tableau_de_bord",
    "tableau_impact",
    "totaux",
    "types_de_contrat",
]
