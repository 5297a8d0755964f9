"""Les adresses des relations entreprises (`/app/entreprises/…`), listées par `config/site.py`."""

from django.urls import path
from viewflow.urls import Application

from workflows.entreprises.views import entreprises, evenements, mises_en_relation, offres, pilotage


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
    offres_path = path("offres/", offres.OffreListView.as_view(), name="offres")
    offre_path = path("offres/<int:pk>/", offres.OffreDetailView.as_view(), name="offre")
    candidats_path = path(
        "offres/<int:pk>/candidats/", offres.CandidatsOffreView.as_view(), name="candidats"
    )
    mise_path = path(
        "mises-en-relation/<int:pk>/",
        mises_en_relation.MiseEnRelationDetailView.as_view(),
        name="mise",
    )
    evenements_path = path("evenements/", evenements.EvenementListView.as_view(), name="evenements")
    evenement_path = path(
        "evenements/<int:pk>/", evenements.EvenementDetailView.as_view(), name="evenement"
    )
    a_traiter_path = path("a-traiter/", pilotage.ATraiterView.as_view(), name="a_traiter")
    indicateurs_path = path("indicateurs/", pilotage.IndicateursView.as_view(), name="indicateurs")
