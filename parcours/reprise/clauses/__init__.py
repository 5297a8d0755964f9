"""La reprise des clauses sociales (ABC Clause) : donneurs d'ordre, opérations, marchés, besoins
(lots et postes), candidats externes, positionnements et embauches, heures mensuelles.

`champs` (le format neutre), `lecture` (les lignes, sans écrire), `ecriture` (créer ou mettre à
jour, par lots), `heures` (les contrôles et l'écriture de l'import des heures, réutilisés).
Mêmes garanties que participants et parcours : provenance, tout ou rien, contrôle sans
enregistrement (docs/reprise.md).
"""
