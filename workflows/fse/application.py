"""Les adresses des opérations FSE+ : l'application viewflow « FSE+ » (/app/fse/)."""

from django.urls import path
from viewflow.urls import Application

from workflows.fse import bilans, controles, coordonnees, declaration, views


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
    # Contrôle de service fait (docs/controle.md).
    controles_path = path("controles/", controles.ControleListView.as_view(), name="controles")
    controle_creer_path = path(
        "operations/<int:pk>/controles/nouveau/",
        controles.ControleCreerView.as_view(),
        name="controle_creer",
    )
    controle_path = path(
        "controles/<int:pk>/", controles.ControleDetailView.as_view(), name="controle"
    )
    controle_ouvrir_path = path(
        "controles/<int:pk>/ouvrir/", controles.OuvrirView.as_view(), name="controle_ouvrir"
    )
    controle_retirer_path = path(
        "controles/<int:pk>/acces/<int:apk>/retirer/",
        controles.RetirerView.as_view(),
        name="controle_retirer",
    )
    controle_zip_path = path(
        "controles/<int:pk>/zip/", controles.ZipControleView.as_view(), name="controle_zip"
    )
    controle_dossier_path = path(
        "controles/<int:pk>/dossiers/<int:ppk>/",
        controles.DossierView.as_view(),
        name="controle_dossier",
    )
    controle_dossier_zip_path = path(
        "controles/<int:pk>/dossiers/<int:ppk>/zip/",
        controles.ZipDossierView.as_view(),
        name="controle_dossier_zip",
    )
    # Bilans d'activité et d'exécution (docs/bilans.md).
    bilans_path = path("bilans/", bilans.BilansView.as_view(), name="bilans")
    bilan_activite_path = path(
        "bilans/activite/", bilans.BilanActiviteView.as_view(), name="bilan_activite"
    )
    bilan_execution_path = path(
        "bilans/execution/", bilans.BilanExecutionView.as_view(), name="bilan_execution"
    )
