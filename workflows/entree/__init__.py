"""L'entrée en PLIE : prescription, recevabilité, compléments, premier entretien (le flux
`EntreeFlow`, ses écrans de tâche, ses formulaires et ses adresses)."""
