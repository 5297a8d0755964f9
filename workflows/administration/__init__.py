"""Administration du PLIE : l'application viewflow et ses URL (vues dans `views.py`)."""

from django.urls import path
from viewflow.urls import Application

from workflows.administration import cles, reprise, views

P = "<slug:plie>/"


class AdministrationApplication(Application):
    title = "Administration du PLIE"
    icon = "admin_panel_settings"
    app_name = "administration"
    menu_template_name = None

    index_path = path("", views.IndexView.as_view(), name="index")
    plie_path = path(P, views.PlieView.as_view(), name="plie")
    structures_path = path(f"{P}structures/", views.StructureListView.as_view(), name="structures")
    structure_creer_path = path(
        f"{P}structures/nouvelle/", views.StructureFormView.as_view(), name="structure_creer"
    )
    structure_path = path(
        f"{P}structures/<int:pk>/", views.StructureFormView.as_view(), name="structure"
    )
    comptes_path = path(f"{P}comptes/", views.CompteListView.as_view(), name="comptes")
    compte_creer_path = path(
        f"{P}comptes/nouveau/", views.CompteCreateView.as_view(), name="compte_creer"
    )
    compte_path = path(f"{P}comptes/<int:pk>/", views.CompteView.as_view(), name="compte")
    mot_de_passe_path = path(
        f"{P}comptes/<int:pk>/mot-de-passe/", views.MotDePasseView.as_view(), name="mot_de_passe"
    )
    debloquer_path = path(
        f"{P}comptes/<int:pk>/debloquer/", views.DebloquerView.as_view(), name="debloquer"
    )
    adhesion_creer_path = path(
        f"{P}comptes/<int:pk>/adhesions/nouvelle/",
        views.AdhesionCreateView.as_view(),
        name="adhesion_creer",
    )
    adhesion_terminer_path = path(
        f"{P}adhesions/<int:pk>/terminer/",
        views.AdhesionTerminerView.as_view(),
        name="adhesion_terminer",
    )
    cles_path = path(f"{P}cles-api/", cles.CleListView.as_view(), name="cles")
    cle_creer_path = path(f"{P}cles-api/nouvelle/", cles.CleCreateView.as_view(), name="cle_creer")
    cle_path = path(f"{P}cles-api/<int:pk>/", cles.CleView.as_view(), name="cle")
    cle_revoquer_path = path(
        f"{P}cles-api/<int:pk>/revoquer/", cles.CleRevoquerView.as_view(), name="cle_revoquer"
    )
    referentiel_path = path(f"{P}referentiel/", views.ReferentielView.as_view(), name="referentiel")
    referentiel_confirmer_path = path(
        f"{P}referentiel/confirmer/",
        views.ReferentielConfirmerView.as_view(),
        name="referentiel_confirmer",
    )
    reprise_path = path(f"{P}reprise/", reprise.RepriseView.as_view(), name="reprise")
    reprise_travail_path = path(
        f"{P}reprise/travaux/<int:pk>/", reprise.TravailView.as_view(), name="reprise_travail"
    )
    reprise_travail_rapport_path = path(
        f"{P}reprise/travaux/<int:pk>/rapport.xlsx",
        reprise.TravailRapportView.as_view(),
        name="reprise_travail_rapport",
    )
    reprise_depot_path = path(
        f"{P}reprise/<str:jeton>/", reprise.DepotView.as_view(), name="reprise_depot"
    )
    reprise_confirmer_path = path(
        f"{P}reprise/<str:jeton>/confirmer/",
        reprise.ConfirmerView.as_view(),
        name="reprise_confirmer",
    )
    reprise_rapport_path = path(
        f"{P}reprise/<str:jeton>/rapport.xlsx",
        reprise.RapportView.as_view(),
        name="reprise_rapport",
    )
