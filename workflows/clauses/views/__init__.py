"""Les écrans des clauses, un module par sujet : `referentiel_operations` (donneurs d'ordre,
opérations, marchés, lots), `besoins`, `candidatures` (fiche, proposer), `taches` (tâches du flux
des candidatures), `heures` (saisie, import), `rapports` (bilans) ; `mixins` (l'accès à un
écran, la liste filtrée, la création et la modification par le facilitateur)."""
