"""Les écrans du suivi d'un parcours (étapes, entretiens, suspension, référent) et des
portefeuilles (changement de référent en masse, intérims).

Accès (parcours/acces/) : un dossier hors périmètre, ou que l'utilisateur voit sans en tenir le
suivi (prescripteur, CRE…), répond 404 ; sans connexion, la page de connexion. Les écritures
passent par les services de `parcours/accompagnement/suivi/`, qui vérifient à nouveau les droits.
"""
