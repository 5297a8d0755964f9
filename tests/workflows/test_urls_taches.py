"""Les URL viewflow de tous les flux, essayées comme un attaquant le ferait.

Pour chaque flux du site et chaque nœud qui a des URL de tâche (index, détail, prendre, rendre,
exécuter, annuler, défaire, relancer) : une tâche n'est atteinte que par l'URL de **son** processus
et de **son** nœud (404 sinon, même pour qui voit les deux processus) ; les pages « processus » et
« détail de tâche » s'affichent ; chaque nœud humain déclare le droit du domaine qu'il exige.

La démo est chargée une fois pour le module (transaction annulée à la fin). Les nœuds sans tâche
dans la démo (fins, aiguillages…) en reçoivent une, terminée, sur un processus de la démo : la page
de détail de chaque nœud est ainsi affichée au moins une fois.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from config.site import site
from parcours.accompagnement.models import Parcours
from parcours.clauses.models import Positionnement
from parcours.core.models import User
from tests.demo_du_module import demo_du_module
from workflows import nodes
from workflows.clauses.flows import CandidatureFlow
from workflows.viewsets import FluxViewset

ACTIONS = ("index", "detail", "execute", "assign", "unassign", "cancel", "undo", "revive")
FLUX = [v for v in site.viewsets if isinstance(v, FluxViewset)]


def _flux_id(viewset):
    return viewset.app_name


demo = demo_du_module()


@pytest.fixture
def en_base(demo, db):
    return demo


def _processus(flow_class, plie_code):
    """Les processus du flux dont le dossier (ou la candidature) est dans ce PLIE."""
    dans_le_plie = (
        Parcours.objects.filter(plie__code=plie_code)
        if flow_class is not CandidatureFlow
        else Positionnement.objects.filter(besoin__marche__plie__code=plie_code)
    )
    return list(
        Process.objects.filter(
            flow_class=flow_class,
            artifact_content_type=ContentType.objects.get_for_model(dans_le_plie.model),
            artifact_object_id__in=dans_le_plie.values("pk"),
        ).order_by("pk")
    )


def _noeuds_avec_urls(flow_class):
    for node in flow_class.instance.nodes():
        if any(_a_l_action(flow_class, node, action) for action in ACTIONS):
            yield node


def _a_l_action(flow_class, node, action):
    try:
        node.reverse(action, args=[1, 1])
    except Exception:
        return False
    return True


def _second_processus(process):
    return Process.objects.create(
        flow_class=process.flow_class,
        artifact_content_type=process.artifact_content_type,
        artifact_object_id=process.artifact_object_id,
    )


def _tache(flow_class, node, process):
    """Une tâche de ce nœud dans ce processus ; à défaut, une tâche terminée créée pour le test."""
    tache = Task.objects.filter(process=process, flow_task=node).first()
    if tache is None:
        tache = Task.objects.create(process=process, flow_task=node, status=STATUS.DONE)
    return tache


def _url(node, action, process_pk, task_pk):
    return node.reverse(action, args=[process_pk, task_pk])


def _actions(flow_class, node):
    return [a for a in ACTIONS if _a_l_action(flow_class, node, a)]


@pytest.mark.parametrize("viewset", FLUX, ids=_flux_id)
def test_chaque_noeud_humain_declare_le_droit_du_domaine(viewset):
    for node in viewset._flow_class.instance.nodes():
        if node.__class__.__name__ == "View":
            assert isinstance(node, nodes.View), f"{viewset.app_name}.{node.name}"
            assert node.droit is not None, f"{viewset.app_name}.{node.name} sans .Droit()"


@pytest.mark.parametrize("viewset", FLUX, ids=_flux_id)
def test_une_tache_ne_s_atteint_que_par_son_processus_son_noeud_et_son_plie(
    client, en_base, viewset
):
    """Même pour l'animation, qui voit tous les processus de son PLIE : 404 sur chaque action par
    l'URL d'un autre processus, d'un autre nœud ou d'un autre flux ; et l'attaque du rapport (l'URL
    d'un processus de son PLIE, la tâche d'un autre PLIE) répond 404 aussi. Une seule boucle sur
    les nœuds pour les deux attaques : une connexion et une lecture des processus par flux."""
    flow_class = viewset._flow_class
    client.force_login(User.objects.get(username="animateur.agenais"))
    processus = _processus(flow_class, "agenais")
    p1 = processus[0]
    # Un second processus du même flux, sur le même dossier s'il n'y en a qu'un dans la démo.
    p2 = processus[1] if len(processus) > 1 else _second_processus(p1)
    autre_plie = _processus(flow_class, "flandre-lys")[0]
    etranger = Process.objects.exclude(flow_class=flow_class).order_by("pk").first()
    noeuds = list(_noeuds_avec_urls(flow_class))
    assert noeuds
    essais = 0
    for node in noeuds:
        tache = _tache(flow_class, node, p1)
        tache_autre_plie = _tache(flow_class, node, autre_plie)
        autre_noeud = next(n for n in noeuds if n.name != node.name)
        for action in _actions(flow_class, node):
            for methode in (client.get, client.post):
                reponse = methode(_url(node, action, p2.pk, tache.pk))
                assert reponse.status_code == 404, (node.name, action, "autre processus")
                essais += 1
            if _a_l_action(flow_class, autre_noeud, action):
                reponse = client.get(_url(autre_noeud, action, p1.pk, tache.pk))
                assert reponse.status_code == 404, (node.name, action, "autre nœud")
            reponse = client.post(_url(node, action, p1.pk, tache_autre_plie.pk))
            assert reponse.status_code == 404, (node.name, action, "tâche d'un autre PLIE")
            reponse = client.get(_url(node, action, autre_plie.pk, tache_autre_plie.pk))
            assert reponse.status_code == 404, (node.name, action, "processus d'un autre PLIE")
        # Le processus d'un autre flux, sous le préfixe de celui-ci.
        reponse = client.get(_url(node, "detail", etranger.pk, tache.pk))
        assert reponse.status_code == 404, (node.name, "autre flux")
        tache_autre_plie.refresh_from_db()
        proprietaire = tache_autre_plie.owner
        assert proprietaire is None or proprietaire.username.endswith("flandre-lys"), node.name
    tache = Task.objects.filter(process=p1).first()
    assert tache.status in STATUS.values
    assert essais > 0
    reponse = client.get(viewset.reverse("process_detail", args=[autre_plie.pk]))
    assert reponse.status_code == 404


def test_sans_connexion_une_url_de_tache_mene_a_la_connexion(client, en_base):
    tache = Task.objects.filter(status=STATUS.NEW).exclude(flow_task_type="START").first()
    url = _url(tache.flow_task, "index", tache.process_id, tache.pk)
    reponse = client.get(url)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith("/connexion/")


@pytest.mark.parametrize("viewset", FLUX, ids=_flux_id)
def test_chaque_action_de_tache_repond_sans_500_et_le_detail_s_affiche(
    client, en_base, viewset, django_user_model
):
    """Chaque action de chaque nœud, par la bonne URL, pour l'animation et un superutilisateur :
    la page ou un refus, jamais une erreur ; pour l'animation, les pages « processus » et « détail
    de tâche » s'affichent (ces GET de détail ne sont plus refaits par un test à part)."""
    racine = django_user_model.objects.create_superuser("racine", "racine@example.org", "x")
    animateur = User.objects.get(username="animateur.agenais")
    client.raise_request_exception = False
    flow_class = viewset._flow_class
    process = _processus(flow_class, "agenais")[0]
    taches = [(node, _tache(flow_class, node, process)) for node in _noeuds_avec_urls(flow_class)]
    for user in (animateur, racine):
        client.force_login(user)
        if user is animateur:
            with CaptureQueriesContext(connection) as requetes:
                reponse = client.get(viewset.reverse("process_detail", args=[process.pk]))
            assert reponse.status_code == 200
            assert f"n° {process.pk}" in reponse.content.decode()
            # Ni boîte ni file viewflow pour un menu de flux absent (FluxViewset) : aucune
            # lecture des permissions globales ou objet.
            lues = [q["sql"] for q in requetes.captured_queries]
            assert not [q for q in lues if "auth_permission" in q or "guardian_" in q], lues
            # Le responsable de chaque tâche lu avec elle (PageDuProcessus) : les comptes ne sont
            # lus qu'une fois, pour le compte connecté.
            assert len([q for q in lues if 'FROM "core_user"' in q]) == 1, lues
        for node, tache in taches:
            for action in _actions(flow_class, node):
                reponse = client.get(_url(node, action, process.pk, tache.pk))
                cas = (user.username, node.name, action, reponse.status_code)
                assert reponse.status_code in (200, 302, 403, 404), cas
                if user is animateur and action == "detail":
                    assert reponse.status_code == 200, cas
                    page = reponse.content.decode()
                    assert f"n° {tache.pk}" in page, cas
                    assert "Tâches précédentes" in page, cas
