"""Les URL viewflow d'un flux, limitées par la politique d'accès.

Seules les pages de tâche et de processus sont exposées (les listes et tableaux de bord de
viewflow ne filtrent pas par ligne : nos boîtes de tâches les remplacent). Toute URL portant un
`process_pk` répond 404 si l'utilisateur ne voit pas le parcours du processus ; sans connexion,
elle mène à la page de connexion.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver
from django.views.generic import RedirectView
from viewflow.workflow.flow import FlowAppViewset

from workflows.access import processus_visible


def _limiter(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        process_pk = kwargs.get("process_pk")
        # Sans process_pk : la seule page est l'index, qui redirige vers l'accueil.
        if process_pk is not None and not processus_visible(request.user, process_pk):
            raise Http404("Aucune tâche ne correspond à cette adresse.")
        return view(request, *args, **kwargs)

    return wrapper


def _limiter_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _limiter_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = _limiter(pattern.callback)


class FluxViewset(FlowAppViewset):
    # Listes et tableaux de bord viewflow non filtrés par ligne : retirés.
    inbox_path = None
    queue_path = None
    archive_path = None
    process_list_path = None
    task_list_path = None
    chart_path = None
    flow_chart_path = None
    tasks_assign_path = None
    tasks_unassign_path = None
    process_cancel_path = None

    @property
    def index_path(self):
        from django.urls import path

        return path("", RedirectView.as_view(pattern_name="accueil:index"), name="index")

    def has_view_permission(self, user, obj=None):
        # Le contrôle se fait par processus (404) ou par la connexion (redirection), ci-dessus.
        return True

    def _get_urls(self):
        urls = super()._get_urls()
        _limiter_patterns(urls)
        return urls
