"""Ce que le PLIE rend compte (docs/fse.md) : l'export Ma Démarche FSE d'une opération et son
contrôle préalable (`ma_demarche_fse/`).

Au-dessus des apps qu'il lit (participants, accompagnement, emploi, fse) : il ne fait que lire."""
