"""L'application « Accueil » (`/app/accueil/`) : une seule page."""

from django.urls import path
from viewflow.urls import Application

from workflows.accueil.views import AccueilView


class AccueilApplication(Application):
    title = "Accueil"
    icon = "home"
    app_name = "accueil"
    menu_template_name = None  # pas de sous-menu : l'application est une seule page
    index_path = path("", AccueilView.as_view(), name="index")
