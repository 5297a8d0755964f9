"""Les adresses de l'API : /api/v1/… (ressources), /api/schema/ (OpenAPI 3), /api/docs/
(Swagger UI servi par le site : drf-spectacular-sidecar, script d'initialisation servi à part
pour la CSP)."""

from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView

from workflows.api import clauses, offres, parcours, prescriptions, suivi
from workflows.api.schema import SchemaGenereUneFois, erreurs_en_json

app_name = "api"

v1 = [
    path("prescriptions/", prescriptions.PrescriptionsView.as_view(), name="prescriptions"),
    path("prescriptions/<int:pk>/", prescriptions.PrescriptionView.as_view(), name="prescription"),
    path("participants/", parcours.ParticipantsView.as_view(), name="participants"),
    path("participants/<int:pk>/", parcours.ParticipantView.as_view(), name="participant"),
    path("parcours/", parcours.ParcoursListeView.as_view(), name="parcours_liste"),
    path("parcours/<int:pk>/", parcours.ParcoursView.as_view(), name="parcours"),
    path("parcours/<int:pk>/etapes/", parcours.EtapesView.as_view(), name="etapes"),
    path("parcours/<int:pk>/entretiens/", parcours.EntretiensView.as_view(), name="entretiens"),
    path("parcours/<int:pk>/contrats/", parcours.ContratsView.as_view(), name="contrats"),
    path("etapes/", suivi.EtapesView.as_view(), name="etapes_perimetre"),
    path("entretiens/", suivi.EntretiensView.as_view(), name="entretiens_perimetre"),
    path("contrats/", suivi.ContratsView.as_view(), name="contrats_perimetre"),
    path("heures/", clauses.HeuresView.as_view(), name="heures"),
    path("besoins/", clauses.BesoinsView.as_view(), name="besoins"),
    path("offres/", offres.OffresView.as_view(), name="offres"),
]

urlpatterns = [
    *(path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1),
    path("schema/", erreurs_en_json(SchemaGenereUneFois).as_view(), name="schema"),
    path(
        "docs/",
        erreurs_en_json(SpectacularSwaggerSplitView).as_view(url_name="api:schema"),
        name="docs",
    ),
]
