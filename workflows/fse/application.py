"""Les adresses des opérations FSE+ : l'application viewflow « FSE+ » (/app/fse/)."""

from django.urls import path
from viewflow.urls import Application

from workflows.fse import bilans, coordonnees, declaration, views


class FseApplication(Application):
    title = "FSE+"
    icon = "euro"
    app_name = "fse"
    menu_template_name = None
    # Pas de `permission` : chaque écran applique la politique d'accès (404 ailleurs).

    index_path = path("", views.OperationListView.as_view(), name="index")
    operation_path = path(
        "operations/<int:pk>/", views.OperationDetailView.as_view(), name="operation"
    )
    operation_creer_path = path(
        "operations/nouvelle/", declaration.OperationCreateView.as_view(), name="operation_creer"
    )
    operation_modifier_path = path(
        "operations/<int:pk>/modifier/",
        declaration.OperationUpdateView.as_view(),
        name="operation_modifier",
    )
    export_path = path("operations/<int:pk>/export/", views.ExportView.as_view(), name="export")
    coordonnees_path = path(
        "participations/<int:pk>/coordonnees/",
        coordonnees.CoordonneesView.as_view(),
        name="coordonnees",
    )
    questionnaire_path = path(
        "participations/<int:pk>/questionnaire/",
        views.QuestionnaireView.as_view(),
        name="questionnaire",
    )
    # Bilans d'activité et d'exécution (docs/bilans.md).
    bilans_path = path("bilans/", bilans.BilansView.as_view(), name="bilans")
    bilan_activite_path = path(
        "bilans/activite/", bilans.BilanActiviteView.as_view(), name="bilan_activite"
    )
    bilan_execution_path = path(
        "bilans/execution/", bilans.BilanExecutionView.as_view(), name="bilan_execution"
    )
