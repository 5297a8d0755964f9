"""Le travail des parcours ouverts repris d'un autre outil (docs/reprise.md, « Le travail
reprend ») : `processus` crée leurs processus par lots au bon nœud, `reactions` écoute le signal
`parcours.reprise.signaux.reprise_terminee` (branché par `workflows/apps.py`)."""
