"""Le site viewflow : le cadre de l'application (menu, barre, pages), en français."""

from django.urls import path
from django.views.generic import RedirectView
from viewflow.urls import Application

from config.menu import SitePLIE
from parcours import acces
from parcours.emploi.views import ContratsView, ContratView
from parcours.entreprises import views as entreprises
from parcours.participants.views import DossierView, ParticipantDetailView, ParticipantListView
from workflows.administration import AdministrationApplication
from workflows.alertes.application import flux_alertes
from workflows.clauses import CandidatureFlow, ClausesApplication
from workflows.commissions import SessionDetailView, SessionListView
from workflows.emploi import (
    DonneesSortieView,
    FluxEmploiViewset,
    ProposerSortieView,
    SortieFlow,
    SuiviContratFlow,
)
from workflows.entreprises import ATraiterView
from workflows.flows import EntreeFlow
from workflows.journal import JournalApplication
from workflows.prescription import PrescriptionView
from workflows.rgpd import DroitAccesView, NoticeView
from workflows.suivi.application import (
    SuiviApplication,
    flux_relances_absence,
    flux_suspensions,
)
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


class CommissionsApplication(Application):
    title = "Commissions"
    icon = "gavel"
    app_name = "commissions"
    menu_template_name = None
    index_path = path("", SessionListView.as_view(), name="index")
    detail_path = path("<int:pk>/", SessionDetailView.as_view(), name="detail")


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


class EntreprisesApplication(Application):
    """Relations entreprises (CRE) : réseau, offres, mises en relation, événements, indicateurs."""

    title = "Entreprises"
    icon = "business"
    app_name = "entreprises"
    menu_template_name = None
    index_path = path("", entreprises.IndexView.as_view(), name="index")
    creer_path = path("nouvelle/", entreprises.EntrepriseCreateView.as_view(), name="creer")
    detail_path = path("<int:pk>/", entreprises.EntrepriseDetailView.as_view(), name="detail")
    modifier_path = path(
        "<int:pk>/modifier/", entreprises.EntrepriseUpdateView.as_view(), name="modifier"
    )
    offres_path = path("offres/", entreprises.OffreListView.as_view(), name="offres")
    offre_path = path("offres/<int:pk>/", entreprises.OffreDetailView.as_view(), name="offre")
    mise_path = path(
        "mises-en-relation/<int:pk>/", entreprises.MiseEnRelationDetailView.as_view(), name="mise"
    )
    evenements_path = path(
        "evenements/", entreprises.EvenementListView.as_view(), name="evenements"
    )
    evenement_path = path(
        "evenements/<int:pk>/", entreprises.EvenementDetailView.as_view(), name="evenement"
    )
    a_traiter_path = path("a-traiter/", ATraiterView.as_view(), name="a_traiter")
    indicateurs_path = path(
        "indicateurs/", entreprises.IndicateursView.as_view(), name="indicateurs"
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
        flux_relances_absence,
        flux_suspensions,
        EmploiApplication(),
        FluxEmploiViewset(
            SuiviContratFlow, app_name="suivi_emploi", icon="work", menu_template_name=None
        ),
        FluxEmploiViewset(SortieFlow, app_name="sortie", icon="logout", menu_template_name=None),
        flux_alertes,
        AdministrationApplication(),
        # Journal des accès (docs/rgpd.md) : administration et direction du PLIE.
        JournalApplication(),
    ],
)
