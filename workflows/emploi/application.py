"""Les adresses de l'emploi et de la sortie : l'application « Emploi et sortie » (écrans hors
tâche, `/app/emploi/…`) et les deux flux (`/app/suivi_emploi/…`, `/app/sortie/…`), listés par
`config/site.py`."""

from django.urls import path
from django.views.generic import RedirectView
from viewflow.urls import Application

from parcours import acces
from workflows.emploi.flows import SortieFlow, SuiviContratFlow
from workflows.emploi.views import ContratsView, ContratView, DonneesSortieView, ProposerSortieView
from workflows.viewsets import FluxViewset


class EmploiApplication(Application):
    """Contrats, qualification de la sortie, proposition de sortie, données FSE+ de sortie."""

    title = "Emploi et sortie"
    icon = "work"
    app_name = "emploi"
    menu_template_name = None
    index_path = path("", RedirectView.as_view(pattern_name="accueil:index"), name="index")
    contrats_path = path("<int:parcours_pk>/contrats/", ContratsView.as_view(), name="contrats")
    contrat_path = path(
        "<int:parcours_pk>/contrats/<int:pk>/", ContratView.as_view(), name="contrat"
    )
    proposer_sortie_path = path(
        "<int:parcours_pk>/sortie/proposer/", ProposerSortieView.as_view(), name="proposer_sortie"
    )
    donnees_sortie_path = path(
        "<int:parcours_pk>/sortie/donnees-fse/", DonneesSortieView.as_view(), name="donnees_sortie"
    )


class FluxEmploiViewset(FluxViewset):
    """Les URL des deux flux : en plus du périmètre des processus, celui de l'emploi."""

    # Le prescripteur voit le dossier qu'il a prescrit, pas le suivi dans l'emploi.
    droit_sur_le_processus = staticmethod(acces.peut_voir_emploi)


# Les deux flux, chacun sous son espace de noms d'URL.
flux_suivi_emploi = FluxEmploiViewset(
    SuiviContratFlow, app_name="suivi_emploi", icon="work", menu_template_name=None
)
flux_sortie = FluxEmploiViewset(
    SortieFlow, app_name="sortie", icon="logout", menu_template_name=None
)
