from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config.site import site
from workflows.formulaires import ConnexionForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accueil:index", permanent=False)),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            authentication_form=ConnexionForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Avant le site : la seule adresse des documents, par la politique d'accès (docs/documents.md).
    path("app/documents/", include("workflows.documents")),
    # Les propositions des champs à autocomplétion, par la politique d'accès (docs/architecture.md).
    path("app/autocompletion/", include("workflows.autocompletion")),
    path("app/", site.urls),
    # L'API des partenaires (docs/api.md) : /api/v1/, /api/schema/, /api/docs/.
    path("api/", include("workflows.api.urls")),
]

# Pages d'erreur en français dans la coquille de l'application (config/erreurs.py).
handler403 = "config.erreurs.page_403"
handler404 = "config.erreurs.page_404"
handler500 = "config.erreurs.page_500"
