"""Les adresses du flux d'entrée (`/app/entree/…`) : ses tâches et ses pages de processus,
limitées par la politique d'accès (`workflows/viewsets.py`). Hors du menu : on y arrive par
l'accueil et le dossier."""

from workflows.entree.flows import EntreeFlow
from workflows.viewsets import FluxViewset


class EntreeApplication(FluxViewset):
    app_name = "entree"
    icon = "how_to_reg"
    menu_template_name = None

    def __init__(self, **kwargs):
        super().__init__(EntreeFlow, **kwargs)
