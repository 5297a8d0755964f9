"""Les pages d'erreur (403, 404, 500) en français, dans la coquille de l'application.

- `page_403`, `page_404`, `page_500` sont les gestionnaires de `config/urls.py` (DEBUG=False) ;
  403 et 404 gardent le menu et la barre de l'application ; 500 ne lit rien (ni base, ni
  session : la panne peut venir de là) et n'affiche qu'une coquille statique.
- Avec DEBUG=True (`make run`), Django remplacerait 403 et 404 par ses pages techniques en
  anglais : `PagesErreurMiddleware` rend les mêmes pages françaises, avec en plus le détail
  technique pour le développeur. La 500 de DEBUG reste la page technique (trace de la pile).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.csrf import requires_csrf_token

# Réponses rendues ici : le middleware ne les remplace pas une seconde fois.
MARQUE = "_page_erreur_plie"


def _dans_la_coquille(request) -> None:
    """Une adresse inconnue n'a pas de résolution, donc ni menu ni barre d'application : la page
    d'erreur prend celle de l'accueil (sans identifiant d'objet : elle n'est pas tracée comme un
    refus, parcours/tracabilite/middleware.py)."""
    if getattr(request, "resolver_match", None) is None:
        try:
            match = resolve(reverse("accueil:index"))
        except Resolver404:  # pragma: no cover - l'accueil existe toujours
            return
        # Ce que `viewflow.middleware.SiteMiddleware` pose sur une résolution (site, app…).
        for nom, valeur in getattr(match.url_name, "extra", {}).items():
            setattr(match, nom, valeur)
        request.resolver_match = match


def _detail(exception) -> str:
    if not settings.DEBUG or exception is None:
        return ""
    return f"{type(exception).__name__} : {exception}"


def _rendre(request, gabarit: str, statut: int, exception=None):
    _dans_la_coquille(request)
    contenu = loader.render_to_string(
        gabarit,
        {"chemin": request.path, "detail_technique": _detail(exception)},
        request=request,
    )
    reponse = HttpResponse(contenu, status=statut)
    setattr(reponse, MARQUE, True)
    return reponse


@requires_csrf_token
def page_404(request, exception=None):
    return _rendre(request, "404.html", 404, exception)


@requires_csrf_token
def page_403(request, exception=None):
    return _rendre(request, "403.html", 403, exception)


@requires_csrf_token
def page_500(request):
    # Sans contexte de requête : ni utilisateur, ni menu, ni base.
    reponse = HttpResponseServerError(loader.get_template("500.html").render())
    setattr(reponse, MARQUE, True)
    return reponse


class PagesErreurMiddleware:
    """En DEBUG, les 403/404 en français comme en production (sinon : rien à faire, les
    gestionnaires de `config/urls.py` répondent)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        # Adresse inconnue : Django a rendu sa page technique avant tout middleware de vue.
        if (
            settings.DEBUG
            and reponse.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not request.path.startswith(settings.STATIC_URL)
            and not getattr(reponse, MARQUE, False)
        ):
            return page_404(request, Http404(f"aucune adresse ne correspond à {request.path}"))
        return reponse

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return page_404(request, exception)
        if isinstance(exception, PermissionDenied):
            return page_403(request, exception)
        return None


@requires_csrf_token
def formulaire_expire(request, reason=""):
    """CSRF_FAILURE_VIEW : le jeton du formulaire manque ou ne correspond plus (page ancienne,
    reconnexion entre-temps)."""
    return _rendre(request, "403_csrf.html", 403, PermissionDenied(reason) if reason else None)
