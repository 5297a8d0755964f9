"""Les adresses des clauses : l'application viewflow « Clauses » (/app/clauses/) et le viewset
du flux des candidatures (/app/candidatures/). `config/site.py` les liste ; les noms d'URL
(`clauses:…`, `candidatures:…`) sont ceux qu'emploient les gabarits et les tests."""

from django.urls import path
from viewflow.urls import Application

from workflows.clauses.flows import CandidatureFlow
from workflows.clauses.views import besoins, candidatures, heures, rapports
from workflows.clauses.views import referentiel_operations as operations
from workflows.viewsets import FluxViewset


class ClausesApplication(Application):
    """Les écrans des clauses (menu « Clauses »), montés sous /app/clauses/ : un attribut
    `<nom>_path` par adresse, les vues dans `workflows/clauses/views/`."""

    title = "Clauses"
    icon = "handshake"
    app_name = "clauses"
    menu_template_name = None
    # Pas de `permission` : le middleware de viewflow répondrait 403 (et non la page de
    # connexion ou 404) ; chaque écran applique la politique d'accès.

    index_path = path("", besoins.BesoinListView.as_view(), name="index")
    besoin_creer_path = path(
        "besoins/nouveau/", besoins.BesoinCreateView.as_view(), name="besoin_creer"
    )
    besoin_path = path("besoins/<int:pk>/", besoins.BesoinDetailView.as_view(), name="besoin")
    besoin_diffuser_path = path(
        "besoins/<int:pk>/diffuser/",
        besoins.BesoinActionView.as_view(action="diffuser"),
        name="besoin_diffuser",
    )
    besoin_clore_path = path(
        "besoins/<int:pk>/clore/",
        besoins.BesoinActionView.as_view(action="clore"),
        name="besoin_clore",
    )
    besoin_proposer_path = path(
        "besoins/<int:pk>/proposer/", candidatures.ProposerView.as_view(), name="besoin_proposer"
    )
    candidature_path = path(
        "candidatures/<int:pk>/", candidatures.CandidatureDetailView.as_view(), name="candidature"
    )
    donneurs_ordre_path = path(
        "donneurs-ordre/", operations.DonneurOrdreListView.as_view(), name="donneurs_ordre"
    )
    donneur_ordre_creer_path = path(
        "donneurs-ordre/nouveau/",
        operations.DonneurOrdreCreateView.as_view(),
        name="donneur_ordre_creer",
    )
    donneur_ordre_path = path(
        "donneurs-ordre/<int:pk>/",
        operations.DonneurOrdreDetailView.as_view(),
        name="donneur_ordre",
    )
    donneur_ordre_modifier_path = path(
        "donneurs-ordre/<int:pk>/modifier/",
        operations.DonneurOrdreUpdateView.as_view(),
        name="donneur_ordre_modifier",
    )
    operations_path = path("operations/", operations.OperationListView.as_view(), name="operations")
    operation_creer_path = path(
        "operations/nouvelle/", operations.OperationCreateView.as_view(), name="operation_creer"
    )
    operation_path = path(
        "operations/<int:pk>/", operations.OperationDetailView.as_view(), name="operation"
    )
    operation_modifier_path = path(
        "operations/<int:pk>/modifier/",
        operations.OperationUpdateView.as_view(),
        name="operation_modifier",
    )
    marches_path = path("marches/", operations.MarcheListView.as_view(), name="marches")
    marche_creer_path = path(
        "marches/nouveau/", operations.MarcheCreateView.as_view(), name="marche_creer"
    )
    marche_path = path("marches/<int:pk>/", operations.MarcheDetailView.as_view(), name="marche")
    marche_modifier_path = path(
        "marches/<int:pk>/modifier/", operations.MarcheUpdateView.as_view(), name="marche_modifier"
    )
    lot_creer_path = path(
        "marches/<int:marche_pk>/lots/nouveau/",
        operations.LotCreateView.as_view(),
        name="lot_creer",
    )
    lot_modifier_path = path(
        "lots/<int:pk>/modifier/", operations.LotUpdateView.as_view(), name="lot_modifier"
    )
    # Heures d'insertion (views/heures.py) et bilans (views/rapports.py).
    heures_path = path("heures/", heures.HeuresView.as_view(), name="heures")
    heures_import_path = path(
        "heures/import/", heures.ImportHeuresView.as_view(), name="heures_import"
    )
    heures_modele_path = path(
        "heures/import/modele.csv", heures.ModeleImportView.as_view(), name="heures_modele"
    )
    heures_saisie_path = path(
        "heures/marches/<int:pk>/", heures.SaisieHeuresView.as_view(), name="heures_saisie"
    )
    bilans_path = path("bilans/", rapports.BilanHeuresView.as_view(), name="bilans")
    equite_path = path("bilans/equite/", rapports.EquiteView.as_view(), name="equite")
    tableau_de_bord_path = path(
        "bilans/tableau-de-bord/", rapports.TableauDeBordView.as_view(), name="tableau_de_bord"
    )
    impact_path = path("bilans/impact/<int:pk>/", rapports.ImpactView.as_view(), name="impact")
    impact_xlsx_path = path(
        "bilans/impact/<int:pk>/xlsx/",
        rapports.ImpactFichierView.as_view(format="xlsx"),
        name="impact_xlsx",
    )
    impact_pdf_path = path(
        "bilans/impact/<int:pk>/pdf/",
        rapports.ImpactFichierView.as_view(format="pdf"),
        name="impact_pdf",
    )


class CandidaturesViewset(FluxViewset):
    """Le flux des candidatures (/app/candidatures/) : pages de tâche et de processus, limitées
    par la politique d'accès (workflows/viewsets.py) ; hors du menu, elles s'ouvrent depuis
    l'accueil et la fiche candidature."""

    def __init__(self, **kwargs):
        options = {"app_name": "candidatures", "icon": "work", "menu_template_name": None}
        super().__init__(CandidatureFlow, **{**options, **kwargs})
