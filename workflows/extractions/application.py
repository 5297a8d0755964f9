"""L'application « Extractions » (`/app/extractions/`) : chaque liste du PLIE en CSV ou XLSX,
limitée au périmètre de l'utilisateur (docs/extractions.md)."""

from django.urls import path
from viewflow.urls import Application

from workflows.extractions.views import ExtractionExportView, ExtractionView, IndexView


class ExtractionsApplication(Application):
    title = "Extractions"
    icon = "download"
    app_name = "extractions"
    menu_template_name = None
    index_path = path("", IndexView.as_view(), name="index")
    extraction_path = path("<slug:nom>/", ExtractionView.as_view(), name="extraction")
    export_path = path("<slug:nom>/<str:format>/", ExtractionExportView.as_view(), name="export")
