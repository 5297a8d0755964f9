"""L'application « Pilotage » (`/app/pilotage/`) : les tableaux de bord."""

from django.urls import path
from viewflow.urls import Application

from workflows.pilotage import views


class PilotageApplication(Application):
    title = "Pilotage"
    icon = "insights"
    app_name = "pilotage"
    menu_template_name = None
    # Pas de `permission` : chaque écran applique la politique d'accès (404 ailleurs).

    index_path = path("", views.IndexView.as_view(), name="index")
    tableau_path = path("<int:plie>/", views.TableauDeBordView.as_view(), name="tableau")
    export_path = path(
        "<int:plie>/export/<slug:code>/<slug:format>/",
        views.ExportView.as_view(),
        name="export",
    )
