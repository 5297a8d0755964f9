"""Les écrans des opérations FSE+ (docs/fse.md) : la liste des opérations, la fiche d'une
opération (chiffres, participants, contrôle préalable, export Ma Démarche FSE) et la correction
du questionnaire d'une participation. Chaque écran passe par `parcours.acces` (404 ailleurs)."""
