"""Les adresses des commissions (`/app/commissions/…`), listées par `config/site.py`."""

from django.urls import path
from viewflow.urls import Application

from workflows.commissions.gestes import AnnulationView, ClotureView, RetraitView
from workflows.commissions.views import SessionDetailView, SessionListView


class CommissionsApplication(Application):
    title = "Commissions"
    icon = "gavel"
    app_name = "commissions"
    menu_template_name = None
    index_path = path("", SessionListView.as_view(), name="index")
    detail_path = path("<int:pk>/", SessionDetailView.as_view(), name="detail")
    cloturer_path = path("<int:pk>/cloturer/", ClotureView.as_view(), name="cloturer")
    annuler_path = path("<int:pk>/annuler/", AnnulationView.as_view(), name="annuler")
    retirer_path = path("<int:pk>/retirer/<int:parcours>/", RetraitView.as_view(), name="retirer")
