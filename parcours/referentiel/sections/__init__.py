"""Une section du référentiel par module (docs/referentiel.md, « Ajouter une section »).

Chaque module de section déclare `CLE` (la clé de la section dans le fichier), `OBLIGATOIRE`,
`valider(v, section)` (ajoute ses erreurs au vérificateur du noyau), ses valeurs par défaut et un
accesseur typé, en général `de(plie, date=None)`, qui lit la version en vigueur. Les sections
n'importent que le noyau (`parcours/referentiel/noyau.py`) et, au besoin, une autre section ;
`parcours/referentiel/validation.py` les énumère dans l'ordre du fichier.
"""
