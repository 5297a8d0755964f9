"""Les URL du suivi : les écrans du suivi d'un parcours et des portefeuilles (`suivi:…`), et celles
des flux du suivi (relances après une absence, échéance d'une suspension)."""

from django.urls import path
from viewflow.urls import Application

from workflows.suivi.flows import SuiviAbsenceFlow, SuspensionFlow
from workflows.suivi.views.entretiens import EntretienCreateView, EntretiensView
from workflows.suivi.views.etapes import EtapesView, EtapeView
from workflows.suivi.views.portefeuilles import (
    IndexView,
    LeverDelegationView,
    PortefeuillesView,
    ReferentView,
)
from workflows.suivi.views.suspension import SuspensionView
from workflows.viewsets import FluxViewset


class SuiviApplication(Application):
    """Les écrans du suivi (URL nommées `suivi:…`, listées dans docs/accompagnement.md)."""

    title = "Portefeuilles"
    icon = "swap_horiz"
    app_name = "suivi"
    menu_template_name = None
    # Pas de `permission` : le middleware de viewflow l'appliquerait à toutes les pages ; chacune
    # vérifie la politique d'accès elle-même.
    index_path = path("", IndexView.as_view(), name="index")
    etapes_path = path("parcours/<int:pk>/etapes/", EtapesView.as_view(), name="etapes")
    etape_path = path("parcours/<int:pk>/etapes/<int:etape_pk>/", EtapeView.as_view(), name="etape")
    entretiens_path = path(
        "parcours/<int:pk>/entretiens/", EntretiensView.as_view(), name="entretiens"
    )
    entretien_nouveau_path = path(
        "parcours/<int:pk>/entretiens/nouveau/",
        EntretienCreateView.as_view(),
        name="entretien_nouveau",
    )
    suspension_path = path(
        "parcours/<int:pk>/suspension/", SuspensionView.as_view(), name="suspension"
    )
    referent_path = path("parcours/<int:pk>/referent/", ReferentView.as_view(), name="referent")
    portefeuilles_path = path("portefeuilles/", PortefeuillesView.as_view(), name="portefeuilles")
    lever_delegation_path = path(
        "portefeuilles/interims/<int:pk>/lever/",
        LeverDelegationView.as_view(),
        name="lever_delegation",
    )


flux_relances_absence = FluxViewset(
    SuiviAbsenceFlow, app_name="relances_absence", icon="mail", menu_template_name=None
)
flux_suspensions = FluxViewset(
    SuspensionFlow, app_name="suspensions", icon="pause", menu_template_name=None
)
