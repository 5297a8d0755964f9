"""Les clauses sociales d'insertion, côté écrans : ce que le facilitateur, les référents, les
prescripteurs et les donneurs d'ordre voient et font (docs/clauses.md, docs/heures.md).

- `flows.py` : `CandidatureFlow`, le flux d'une candidature (qui agit ensuite) ;
- `views/` : les écrans — `referentiel_operations` (donneurs d'ordre, opérations, marchés,
  lots), `besoins`, `candidatures` (fiche, proposer), `taches` (écrans des tâches du flux),
  `heures` (saisie, import), `rapports` (bilans, équité, impact, tableau de bord), `mixins`
  (l'accès à un écran, écrit une fois) ;
- `forms/` : les formulaires de ces écrans ;
- `plies.py` : les PLIE où l'utilisateur facilite ou pilote les clauses ;
- `application.py` : l'application viewflow « Clauses » (/app/clauses/) et le viewset du flux
  des candidatures (/app/candidatures/), que `config/site.py` liste.

Le domaine (modèles, services, règles, bilans) est dans `parcours/clauses/`.
"""
