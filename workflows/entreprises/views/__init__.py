"""Les écrans des relations entreprises, un module par objet : `entreprises` (le réseau),
`offres`, `mises_en_relation`, `evenements`, `pilotage` (boîte « À traiter », indicateurs) ;
`commun` (accès, navigation, erreurs). Chaque page filtre par la politique d'accès
(`parcours/acces/`) : hors périmètre, 404 ; sans connexion, la page de connexion. Les listes ont
un nombre de requêtes constant (sous-requêtes et `select_related`, pas de N+1)."""
