"""Les prédicats d'accès se planifient par les index (issue 11, docs/PERFORMANCE.md).

Sur un petit jeu, PostgreSQL préfère toujours lire une table entière : on interdit le parcours
séquentiel (`SET LOCAL enable_seqscan = off`) pour voir si un plan indexé EXISTE. L'ancien
prédicat (un grand `OR` d'`EXISTS` et de `IN` évalué sur chaque parcours) n'en a pas : il lit
`accompagnement_parcours` en entier (parcours séquentiel, ou index parcouru sans condition).
Les prédicats réécrits partent du petit côté (tâches du propriétaire, file d'un PLIE, parcours
du référent) et n'atteignent parcours et tâches que par une condition d'index.
"""

import json

import pytest
from django.db import connection
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from tests.factories import parcours_en
from workflows import access as workflows_access
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db

TABLES = {"accompagnement_parcours", "viewflow_task"}


def _noeuds(plan):
    yield plan
    for enfant in plan.get("Plans", []):
        yield from _noeuds(enfant)


def lectures_completes(queryset) -> list[str]:
    """Les lectures de parcours ou de tâches sans condition d'index : parcours séquentiel, ou
    index parcouru d'un bout à l'autre (ce que le planificateur choisit quand on lui interdit le
    premier sans qu'il ait d'autre chemin)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as curseur:
        curseur.execute("SET LOCAL enable_seqscan = off")
        curseur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (ligne,) = curseur.fetchone()
    plan = (json.loads(ligne) if isinstance(ligne, str) else ligne)[0]["Plan"]
    fautes = []
    for noeud in _noeuds(plan):
        if noeud.get("Relation Name") not in TABLES:
            continue
        type_ = noeud["Node Type"]
        if type_ == "Seq Scan" or (
            type_ in ("Index Scan", "Index Only Scan") and "Index Cond" not in noeud
        ):
            fautes.append(f"{type_} sur {noeud['Relation Name']}")
    if fautes:  # le plan complet dans le rapport d'échec
        print(json.dumps(plan, indent=1))
    return fautes


@pytest.fixture
def jeu(monde):
    """Quelques dossiers dans deux PLIE, chacun avec son processus d'entrée et une tâche : une
    assignée au référent, une dans la file de l'animation."""
    referent = monde.user(Role.REFERENT)
    for plie in (1, 2):
        for structure in ("a", "b"):
            for statut in (Statut.EN_ACCOMPAGNEMENT, Statut.PRESCRIT, Statut.SORTI):
                parcours = parcours_en(monde, statut, plie=plie, structure=structure)
                process = Process.objects.create(flow_class=EntreeFlow, artifact=parcours)
                Task.objects.create(
                    process=process,
                    flow_task=EntreeFlow.premier_entretien,
                    owner=parcours.referent,
                    status=STATUS.ASSIGNED,
                )
                Task.objects.create(
                    process=process,
                    flow_task=EntreeFlow.verifier_recevabilite,
                    owner_permission=workflows_access.ANIMER_PLIE,
                    owner_permission_obj_pk=str(parcours.plie_id),
                    status=STATUS.NEW,
                )
    # Les statistiques de toutes les tables que les prédicats lisent : celles laissées par les
    # tests précédents du même processus (une table de mises en relation jugée grande, par
    # exemple) faisaient partir le plan du CRE de tous les parcours ; celles des droits guardian,
    # des groupes et des candidatures faisaient lire à la file de l'animation tout l'index des
    # tâches à prendre (`ANALYZE` écrit le nombre de lignes d'une table hors transaction : il
    # survit à l'annulation du test qui l'a lancé).
    with connection.cursor() as curseur:
        curseur.execute(
            "ANALYZE accompagnement_parcours, viewflow_task, viewflow_process,"
            " participants_participant, entreprises_miseenrelation, entreprises_offreemploi,"
            " accompagnement_parcoursuserobjectpermission,"
            " accompagnement_parcoursgroupobjectpermission,"
            " guardian_userobjectpermission, guardian_groupobjectpermission, auth_permission,"
            " auth_group, core_user_groups, core_membership, core_structure,"
            " clauses_positionnement"
        )
    return referent


def test_mes_taches_du_referent_par_les_index(jeu):
    taches = workflows_access.mes_taches(jeu)
    assert taches.exists()
    assert lectures_completes(taches) == []


def test_file_a_prendre_de_l_animation_par_les_index(jeu, monde):
    """La file se lit par les sources du droit du compte. Sur douze tâches, lire toute la file
    du pays (index partiel des tâches à prendre, ou index des états) coûte presque autant au
    planificateur : le choix basculait d'un processus de test à l'autre. Avec la file de
    l'autre PLIE plus longue que celle du compte, comme dans un vrai pays, il n'y a qu'un bon
    plan."""
    process = Process.objects.filter(
        flow_class=EntreeFlow, artifact_object_id__in=[p.pk for p in monde.plie2.parcours.all()]
    ).first()
    file = Task.objects.bulk_create(
        Task(
            process=process,
            flow_task=EntreeFlow.verifier_recevabilite,
            owner_permission=workflows_access.ANIMER_PLIE,
            owner_permission_obj_pk=str(monde.plie2.pk),
            status=STATUS.NEW,
        )
        for _ in range(300)
    )
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE viewflow_task")
    animateur = monde.user(Role.ANIMATEUR)
    taches = workflows_access.taches_a_prendre(animateur)
    assert taches.count() == 6  # les six dossiers du PLIE 1
    fautes = lectures_completes(taches)
    # Le nombre de lignes écrit par `ANALYZE` survit à l'annulation du test : sans ces 300
    # tâches, les tests suivants du processus retrouvent la table telle qu'ils la laissent.
    Task.objects.filter(pk__in=[t.pk for t in file]).delete()
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE viewflow_task")
    assert fautes == []


@pytest.mark.parametrize("role", [Role.REFERENT, Role.PRESCRIPTEUR, Role.CRE])
def test_liste_des_participants_par_les_index(jeu, monde, role):
    participants = acces.participants_visibles(monde.user(role)).order_by("nom", "prenom", "id")
    assert lectures_completes(participants) == []


def test_l_ancien_predicat_en_or_lit_tous_les_parcours(jeu):
    """Le garde-fou du test lui-même : un filtre `OR` qui mêle une sous-requête `EXISTS` n'a pas
    de plan indexé, et `lectures_completes` le voit."""
    from django.db.models import Exists, OuterRef, Q

    from parcours.accompagnement.models import Parcours, ParcoursUserObjectPermission

    droits = ParcoursUserObjectPermission.objects.filter(
        user_id=jeu.pk, content_object_id=OuterRef("pk")
    )
    ancien = Parcours.objects.filter(Q(referent_id=jeu.pk) | Q(Exists(droits)))
    assert lectures_completes(ancien) != []


def test_mes_taches_sans_interim_lues_dans_l_ordre_de_l_index(jeu):
    """Sans intérim, la première page de « Mes tâches » (tri des boîtes : `-created`, `-id`) se
    lit dans l'ordre de l'index des tâches assignées, sans tri : PostgreSQL s'arrête à la page.
    Rouge avec `owner_id = ANY(tableau)` (toutes les tâches du compte lues puis triées) et avec
    l'index d'avant, sans la clé (tri incrémental des égalités de date)."""
    assert not acces.perimetre(jeu).suppleant
    page = workflows_access.mes_taches(jeu).order_by("-created", "-id")[:51]
    assert list(page)
    sql, params = page.query.sql_with_params()
    with connection.cursor() as curseur:
        curseur.execute("SET LOCAL enable_seqscan = off")
        # Sur quelques tâches, trier coûte moins que suivre l'index : on interdit le tri complet
        # pour voir si un plan dans l'ordre de l'index EXISTE (le tri incrémental reste permis).
        curseur.execute("SET LOCAL enable_sort = off")
        curseur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (ligne,) = curseur.fetchone()
    plan = (json.loads(ligne) if isinstance(ligne, str) else ligne)[0]["Plan"]
    noeuds = list(_noeuds(plan))
    assert not [n["Node Type"] for n in noeuds if "Sort" in n["Node Type"]], plan
    taches = [n for n in noeuds if n.get("Relation Name") == "viewflow_task"]
    assert [n.get("Index Name") for n in taches] == ["viewflow_task_assignees_idx"], plan
    assert f"(owner_id = {jeu.pk})" in taches[0]["Index Cond"], plan


def test_alertes_de_l_accueil_sondees_par_ligne(monde):
    """Les alertes du compte sur l'accueil : celles dont il voit le dossier (la définition
    ensembliste `taches_visibles`), le dossier sondé par la clé du processus de chaque tâche,
    comme « Mes tâches ». La semi-jointure de `taches_visibles` faisait parcourir à PostgreSQL
    les 134 000 processus du pays (37 ms à 100 000 participants, docs/PERFORMANCE.md)."""
    from django.test.utils import CaptureQueriesContext
    from viewflow.workflow.status import PROCESS

    from parcours.dossier.alertes import TypeAlerte
    from workflows.alertes import compter_alertes
    from workflows.alertes.flows import AlerteFlow

    referent = monde.user(Role.REFERENT)
    sien = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    transfere = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure="b")
    assert sien.referent == referent and transfere.referent != referent
    alertes = [
        (sien, TypeAlerte.SANS_CONTACT),
        (sien, TypeAlerte.DUREE_PARCOURS),
        (transfere, TypeAlerte.SANS_CONTACT),  # tâche restée au compte, dossier plus visible
    ]
    for parcours, type_alerte in alertes:
        process = Process.objects.create(
            flow_class=AlerteFlow, artifact=parcours, status=PROCESS.NEW, data={"type": type_alerte}
        )
        Task.objects.create(
            process=process, flow_task=AlerteFlow.traiter, owner=referent, status=STATUS.ASSIGNED
        )
    with CaptureQueriesContext(connection) as requetes:
        miennes = compter_alertes(referent)["miennes"]
    attendues = [(TypeAlerte.SANS_CONTACT.label, 1), (TypeAlerte.DUREE_PARCOURS.label, 1)]
    assert sorted(miennes) == sorted(attendues)
    definition = workflows_access.taches_visibles(referent).filter(
        flow_task=AlerteFlow.traiter, owner=referent, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )
    assert definition.count() == 2
    (comptes,) = [r["sql"] for r in requetes.captured_queries if "json_object_agg" in r["sql"]]
    assert '"viewflow_task"."process_id" = (SELECT' in comptes
    assert '"artifact_object_id" IN (SELECT' not in comptes
