"""Les URL du flux des alertes (`/app/alertes/…`) : les pages de tâche et de processus de
`AlerteFlow`, limitées par la politique d'accès (workflows/viewsets.py)."""

from workflows.alertes.flows import AlerteFlow
from workflows.viewsets import FluxViewset

flux_alertes = FluxViewset(
    AlerteFlow, app_name="alertes", icon="notifications", menu_template_name=None
)
