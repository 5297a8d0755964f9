"""Le site viewflow : le cadre de l'application (menu, barre, pages), en français."""

from django.urls import path
from viewflow.urls import Application

from config.menu import SitePLIE
from parcours import acces
from parcours.accompagnement.views_suivi import SuiviApplication
from parcours.participants.views import DossierView, ParticipantDetailView, ParticipantListView
from workflows.administration import AdministrationApplication
from workflows.alertes import AlerteFlow
from workflows.clauses import CandidatureFlow, ClausesApplication
from workflows.commissions.application import CommissionsApplication
from workflows.emploi.application import EmploiApplication, flux_sortie, flux_suivi_emploi
from workflows.entreprises.application import EntreprisesApplication
from workflows.flows import EntreeFlow
from workflows.journal import JournalApplication
from workflows.prescription import PrescriptionView
from workflows.rgpd import DroitAccesView, NoticeView
from workflows.suivi import SuiviAbsenceFlow, SuspensionFlow
from workflows.views import AccueilView
from workflows.viewsets import FluxViewset


class AccueilApplication(Application):
    title = "Accueil"
    icon = "home"
    app_name = "accueil"
    menu_template_name = None  # pas de sous-menu : l'application est une seule page
    index_path = path("", AccueilView.as_view(), name="index")


class ParticipantsApplication(Application):
    title = "Participants"
    icon = "people"
    app_name = "participants"
    menu_template_name = None
    index_path = path("", ParticipantListView.as_view(), name="index")
    detail_path = path("<int:pk>/", ParticipantDetailView.as_view(), name="detail")
    prescrire_path = path("prescrire/", PrescriptionView.as_view(), name="prescrire")
    dossier_path = path("parcours/<int:pk>/", DossierView.as_view(), name="dossier")
    # Droits des personnes (docs/rgpd.md) : notice d'information, export du droit d'accès.
    notice_path = path("prescrire/notice/", NoticeView.as_view(), name="notice")
    droit_acces_path = path(
        "<int:pk>/droit-d-acces/<str:format>/", DroitAccesView.as_view(), name="droit_acces"
    )


# Le menu de gauche : {app_name: qui voit l'entrée} (config/menu.py). Absents : les flux et
# « Emploi et sortie », dont l'index ne fait que rediriger vers l'accueil ; leurs pages s'ouvrent
# depuis l'accueil et le dossier.
MENU = {
    "accueil": acces.voit_le_menu_accueil,
    "participants": acces.voit_le_menu_participants,
    "commissions": acces.voit_le_menu_commissions,
    "clauses": acces.voit_le_menu_clauses,
    "entreprises": acces.voit_le_menu_entreprises,
    "suivi": acces.voit_le_menu_portefeuilles,
    "administration": acces.voit_le_menu_administration,
    "journal": acces.voit_le_journal,
}

site = SitePLIE(
    title="PLIE — parcours",
    menu=MENU,
    primary_color="#1d4f91",
    secondary_color="#e1000f",
    viewsets=[
        AccueilApplication(),
        ParticipantsApplication(),
        CommissionsApplication(),
        ClausesApplication(),
        FluxViewset(CandidatureFlow, app_name="candidatures", icon="work", menu_template_name=None),
        EntreprisesApplication(),
        FluxViewset(EntreeFlow, app_name="entree", icon="how_to_reg", menu_template_name=None),
        SuiviApplication(),
        FluxViewset(
            SuiviAbsenceFlow, app_name="relances_absence", icon="mail", menu_template_name=None
        ),
        FluxViewset(SuspensionFlow, app_name="suspensions", icon="pause", menu_template_name=None),
        EmploiApplication(),
        flux_suivi_emploi,
        flux_sortie,
        FluxViewset(AlerteFlow, app_name="alertes", icon="notifications", menu_template_name=None),
        AdministrationApplication(),
        # Journal des accès (docs/rgpd.md) : administration et direction du PLIE.
        JournalApplication(),
    ],
)
