"""La politique d'accès : qui voit quoi, qui peut agir — une seule source de vérité.

Un module par ressource (dossiers, commissions, entreprises, portefeuilles, clauses,
administration, menu), la garde commune (`garde`), le backend d'autorisation (`backend`). Les
rôles sont déclarés une fois (`parcours.core.roles`), les adhésions lues une fois par requête
(`parcours.core.perimetre`). Les listes, fiches, exports et tâches filtrent par ces prédicats ;
les contrôles objet des modèles et des services passent par `user.has_perm(..., obj)`, auquel le
backend répond avec les mêmes prédicats. Ce paquet est au-dessus des applications du domaine :
il importe leurs modèles, elles ne l'importent jamais (tests/test_architecture.py).
"""

from parcours.acces.administration import (
    TYPES_TRACE_COMPTE,
    peut_administrer,
    peut_exporter_droit_acces,
    plies_administres,
    traces_visibles,
    voit_les_consultations,
)
from parcours.acces.clauses import (
    besoins_visibles,
    candidats_externes_visibles,
    donneurs_ordre_visibles,
    marches_visibles,
    operations_du_donneur_ordre,
    operations_visibles,
    participants_proposables,
    peut_faciliter,
    peut_proposer,
    peut_proposer_sur_clause,
    positionnements_visibles,
    voit_les_besoins,
    voit_les_clauses,
)
from parcours.acces.commissions import (
    filtre_dossiers_de_mes_sessions,
    peut_decider_en_session,
    peut_gerer_les_sessions,
    peut_sieger,
    sessions_visibles,
    siege_a_la_session,
    siege_pour_le_dossier,
)
from parcours.acces.dossiers import (
    STATUTS_SUIVI_EMPLOI,
    filtre_dossiers_mis_en_relation,
    filtre_parcours_visibles,
    parcours_visibles,
    participants_visibles,
    peut_effectuer,
    peut_inscrire_en_commission,
    peut_voir,
    peut_voir_emploi,
    voit_le_suivi,
)
from parcours.acces.entreprises import (
    entreprises_visibles,
    evenements_visibles,
    mises_en_relation_visibles,
    offres_visibles,
    peut_emarger,
    peut_gerer_entreprises,
    peut_gerer_offres,
    peut_pourvoir_offre,
    peut_proposer_candidat,
    peut_suivre_mise_en_relation,
    peut_voir_offre,
)
from parcours.acces.menu import (
    voit_le_journal,
    voit_le_menu_accueil,
    voit_le_menu_administration,
    voit_le_menu_clauses,
    voit_le_menu_commissions,
    voit_le_menu_entreprises,
    voit_le_menu_participants,
    voit_le_menu_portefeuilles,
)
from parcours.acces.portefeuilles import delegations_visibles, peut_gerer_portefeuilles
from parcours.core.perimetre import Perimetre, perimetre, structure_de_referent
from parcours.core.roles import *  # noqa: F403 — les ensembles de rôles, sous leur nom

__all__ = [
    "STATUTS_SUIVI_EMPLOI",
    "TYPES_TRACE_COMPTE",
    "Perimetre",
    "besoins_visibles",
    "candidats_externes_visibles",
    "delegations_visibles",
    "donneurs_ordre_visibles",
    "entreprises_visibles",
    "evenements_visibles",
    "filtre_dossiers_de_mes_sessions",
    "filtre_dossiers_mis_en_relation",
    "filtre_parcours_visibles",
    "marches_visibles",
    "mises_en_relation_visibles",
    "offres_visibles",
    "operations_du_donneur_ordre",
    "operations_visibles",
    "parcours_visibles",
    "participants_proposables",
    "participants_visibles",
    "perimetre",
    "peut_administrer",
    "peut_decider_en_session",
    "peut_effectuer",
    "peut_emarger",
    "peut_exporter_droit_acces",
    "peut_faciliter",
    "peut_gerer_entreprises",
    "peut_gerer_les_sessions",
    "peut_gerer_offres",
    "peut_gerer_portefeuilles",
    "peut_inscrire_en_commission",
    "peut_pourvoir_offre",
    "peut_proposer",
    "peut_proposer_candidat",
    "peut_proposer_sur_clause",
    "peut_sieger",
    "peut_suivre_mise_en_relation",
    "peut_voir",
    "peut_voir_emploi",
    "peut_voir_offre",
    "plies_administres",
    "positionnements_visibles",
    "sessions_visibles",
    "siege_a_la_session",
    "siege_pour_le_dossier",
    "structure_de_referent",
    "traces_visibles",
    "voit_le_journal",
    "voit_le_menu_accueil",
    "voit_le_menu_administration",
    "voit_le_menu_clauses",
    "voit_le_menu_commissions",
    "voit_le_menu_entreprises",
    "voit_le_menu_participants",
    "voit_le_menu_portefeuilles",
    "voit_le_suivi",
    "voit_les_besoins",
    "voit_les_clauses",
    "voit_les_consultations",
]
