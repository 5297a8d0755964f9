"""Le signal de fin de reprise : le domaine ne connaît pas les flux (`workflows/`), qui
l'écoutent pour donner du travail aux parcours ouverts repris (docs/reprise.md, « Le travail
reprend »)."""

from django.dispatch import Signal

# Envoyé en fin d'écriture, dans la transaction de la reprise (jamais par un contrôle
# `--dry-run`) : arguments `plie`, `parcours_ids` (parcours ouverts créés, ou dont une relance a
# changé l'état), `etats_changes` (parcours dont une relance a changé l'état, ouverts ou clos :
# leurs processus sont à remplacer), `contrats_changes` et `suspensions_changees` (parcours
# dont un contrat ou une suspension a été créé ou modifié : minuteurs de la sortie ou de la fin
# de suspension et suivis des contrats à revoir), `par` (le compte de la reprise). Un récepteur
# qui échoue annule toute la reprise : tout ou rien.
# Ce qu'un récepteur rend (une phrase) est ajouté au rapport (`Rapport.travail`).
reprise_terminee = Signal()
