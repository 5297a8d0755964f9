"""Les participants : la liste, la fiche de la personne, le dossier d'un parcours."""
