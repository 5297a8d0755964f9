"""L'application « Participants » (`/app/participants/`) : liste, fiche, dossier d'un parcours,
prescription (workflows/entree/) et droits des personnes (workflows/rgpd.py)."""

from django.urls import path
from viewflow.urls import Application

from workflows.entree.prescription import PrescriptionView
from workflows.participants.liste import ParticipantExportView, ParticipantListView
from workflows.participants.views import DossierView, ParticipantDetailView
from workflows.rgpd import DroitAccesView, NoticeView


class ParticipantsApplication(Application):
    title = "Participants"
    icon = "people"
    app_name = "participants"
    menu_template_name = None
    index_path = path("", ParticipantListView.as_view(), name="index")
    export_path = path("export/<str:format>/", ParticipantExportView.as_view(), name="export")
    detail_path = path("<int:pk>/", ParticipantDetailView.as_view(), name="detail")
    prescrire_path = path("prescrire/", PrescriptionView.as_view(), name="prescrire")
    dossier_path = path("parcours/<int:pk>/", DossierView.as_view(), name="dossier")
    # Droits des personnes (docs/rgpd.md) : notice d'information, export du droit d'accès.
    notice_path = path("prescrire/notice/", NoticeView.as_view(), name="notice")
    droit_acces_path = path(
        "<int:pk>/droit-d-acces/<str:format>/", DroitAccesView.as_view(), name="droit_acces"
    )
