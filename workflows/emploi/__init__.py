"""L'emploi et la sortie vus par les personnes qui agissent (docs/emploi.md) : les flux
(`flows.py`), les écrans de leurs tâches (`taches.py`), les écrans hors tâche (`views.py`), les
formulaires (`forms.py`), ce que les changements du domaine font aux flux (`reactions.py`) et
les adresses (`application.py`)."""
