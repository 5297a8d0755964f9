"""Les URL viewflow d'un flux, limitées par la politique d'accès, en un seul endroit.

Seules les pages de tâche et de processus sont exposées (les listes et tableaux de bord de
viewflow ne filtrent pas par ligne : nos boîtes de tâches les remplacent). Toute URL portant un
`process_pk` répond 404 si le processus n'est pas un processus de ce flux que l'utilisateur voit ;
une URL portant aussi un `task_pk` répond 404 si la tâche n'est pas une tâche de **ce** processus
et du nœud nommé dans l'URL (viewflow la chargerait par `task_pk` seul). Sans connexion, elle mène
à la page de connexion. Le droit d'agir (prendre, exécuter) est ensuite vérifié par le nœud
(`workflows.nodes.View.Droit`).

Les pages « processus » et « détail de tâche » de viewflow sont rendues par nos gabarits
(`templates/viewflow/workflow/process_detail.html`, `task_detail.html`) : en français, sans le
diagramme ni l'annulation, réservés à l'administration de l'instance.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import DetailProcessView
from viewflow.workflow.models import Process

from workflows.access import resoudre_adresse

INTROUVABLE = "Aucune tâche ne correspond à cette adresse."


def _parcours_du_processus(process_pk):
    from parcours.accompagnement.models import Parcours

    artifact = Process.objects.filter(pk=process_pk).values("artifact_object_id")[:1]
    return Parcours.objects.filter(pk=artifact).first()


def _limiter(view, viewset, noeud):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        process_pk = kwargs.get("process_pk")
        # Sans process_pk : la seule page est l'index, qui redirige vers l'accueil.
        if process_pk is not None:
            if not resoudre_adresse(
                request.user, viewset.flux, process_pk, kwargs.get("task_pk"), noeud
            ):
                raise Http404(INTROUVABLE)
            droit = viewset.droit_sur_le_processus
            if droit is not None:
                parcours = _parcours_du_processus(process_pk)
                if parcours is None or not droit(request.user, parcours):
                    raise Http404(INTROUVABLE)
        return view(request, *args, **kwargs)

    wrapper.limite_par_la_politique = True
    return wrapper


def _limiter_patterns(patterns, viewset, noeud=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            # Les URL d'un nœud sont incluses sous l'espace de noms du nœud (son nom).
            _limiter_patterns(pattern.url_patterns, viewset, pattern.namespace or noeud)
        elif isinstance(pattern, URLPattern) and not getattr(
            pattern.callback, "limite_par_la_politique", False
        ):
            pattern.callback = _limiter(pattern.callback, viewset, noeud)


class PageDuProcessus(DetailProcessView):
    """La page d'un processus : ses tâches avec leur responsable, lus en une requête (viewflow
    relisait le responsable de chaque tâche, une requête par ligne du tableau)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task_list"] = context["task_list"].select_related("owner")
        return context


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

    process_detail_view_class = PageDuProcessus

    # Un droit de plus sur le parcours du processus, pour toutes les URL du flux
    # (`droit(user, parcours) -> bool`) ; sinon 404.
    droit_sur_le_processus = None

    def __init__(self, flow_class, **kwargs):
        super().__init__(flow_class, **kwargs)
        # Gardé sous un nom à nous : viewflow ne l'expose que sous un attribut privé.
        self.flux = flow_class

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="accueil:index"), name="index")

    def get_context_data(self, request):
        # Viewflow y met la boîte et la file de l'utilisateur pour le menu du flux, que nos flux
        # n'affichent pas (listes non filtrées par ligne) : la file coûtait quatre requêtes
        # (permissions globales et objet) à chaque page de tâche ou de processus.
        return {}

    def has_view_permission(self, user, obj=None):
        # Le contrôle se fait par processus (404) ou par la connexion (redirection), ci-dessous.
        return True

    @property
    def urls(self):
        # `urls` est l'API publique d'un viewset viewflow : chaque vue qu'elle expose passe par
        # `_limiter` (les motifs sont mis en cache par viewflow, d'où la marque sur la vue).
        patterns, app_name, namespace = super().urls
        _limiter_patterns(patterns, self)
        return patterns, app_name, namespace
