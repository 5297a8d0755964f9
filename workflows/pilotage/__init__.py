"""Les tableaux de bord du pilotage (docs/tableaux_de_bord.md) : `/app/pilotage/`."""
