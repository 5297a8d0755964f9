"""Le PLIE recopié sur les alertes (workflows/migrations/0005) : les comptes bornés du pilotage
sont ceux de la jointure sur les parcours, le déclencheur tient le PLIE quoi que l'application
écrive, et le compte ne lit que les alertes du PLIE (issue 11, docs/PERFORMANCE.md)."""

import json
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.dossier.alertes import TypeAlerte
from tests.factories import parcours_en
from workflows.alertes.flows import AlerteFlow, type_parcours
from workflows.alertes.lecture import compter_alertes

pytestmark = pytest.mark.django_db

TYPES = list(TypeAlerte)


def _alerte(parcours, type_alerte, **donnees):
    return Process.objects.create(
        flow_class=AlerteFlow, artifact=parcours, data={"type": type_alerte.value, **donnees}
    )


def _attendus(plie, borne):
    """La définition : alertes ouvertes dont le parcours est du PLIE, par type, bornées."""
    parcours = Parcours.objects.filter(plie=plie).values("pk")
    types = Process.objects.filter(
        flow_class=AlerteFlow,
        status=PROCESS.NEW,
        artifact_content_type=type_parcours(),
        artifact_object_id__in=parcours,
    ).values_list("data__type", flat=True)
    comptes = Counter(types)
    return [(t.label, min(comptes[t.value], borne + 1)) for t in TYPES if comptes[t.value]]


@pytest.fixture
def alertes(monde):
    """PLIE 1 : trois dossiers, deux types chacun, une alerte close ; PLIE 2 : quatre dossiers
    avec tous les types (plus d'alertes que le PLIE 1, dans chaque type)."""
    for i in range(3):
        p = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure="ab"[i % 2])
        _alerte(p, TYPES[0])
        _alerte(p, TYPES[1 + i % 2])
    close = _alerte(p, TYPES[3])
    close.status = PROCESS.DONE
    close.save()
    for _ in range(4):
        p = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2)
        for t in TYPES:
            _alerte(p, t)
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE viewflow_process, accompagnement_parcours")


@pytest.mark.parametrize("borne", [1, 2, 100])
def test_comptes_du_plie_identiques_a_la_jointure(alertes, monde, monkeypatch, borne):
    monkeypatch.setattr("workflows.alertes.lecture.BORNE_ALERTES_PLIE", borne)
    for plie in (1, 2):
        animateur = monde.user(Role.ANIMATEUR, plie=plie)
        attendus = _attendus(monde.plie(plie), borne)
        assert attendus  # le jeu a des alertes dans chaque PLIE
        assert compter_alertes(animateur)["plie"] == attendus


def test_le_plie_est_celui_du_parcours_quoi_qu_ecrive_l_application(monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    # Une valeur envoyée est ignorée ; une instance qui ne la porte pas ne l'efface pas.
    process = _alerte(parcours, TYPES[0], plie=monde.plie2.pk)
    process.refresh_from_db()
    assert process.data["plie"] == monde.plie1.pk
    process.data = {"type": TYPES[0].value, "traitement": {"commentaire": "vu"}}
    process.save(update_fields=["data"])
    process.refresh_from_db()
    assert process.data["plie"] == monde.plie1.pk
    # Le parcours change de PLIE : l'alerte le suit (compte du PLIE 2, plus du PLIE 1).
    Parcours.objects.filter(pk=parcours.pk).update(plie=monde.plie2)
    process.refresh_from_db()
    assert process.data["plie"] == monde.plie2.pk
    assert compter_alertes(monde.user(Role.ANIMATEUR))["plie"] == []
    assert compter_alertes(monde.user(Role.ANIMATEUR, plie=2))["plie"] == [(TYPES[0].label, 1)]


def _noeuds(plan):
    yield plan
    for enfant in plan.get("Plans", []):
        yield from _noeuds(enfant)


def test_le_compte_ne_lit_que_les_alertes_du_plie(alertes, monde):
    """EXPLAIN ANALYZE du compte : les lignes de processus lues (gardées ou écartées, toutes
    boucles) ne dépassent pas les alertes du PLIE 1 ; l'ancien compte lisait toutes les alertes
    ouvertes de chaque type, celles du PLIE 2 comprises (rouge sur l'ancien code)."""
    animateur = monde.user(Role.ANIMATEUR)
    with CaptureQueriesContext(connection) as capture:
        compter_alertes(animateur)
    # La seule requête du compte (les autres : types de contenu lus une fois par processus).
    (requete,) = [q for q in capture.captured_queries if "json_object_agg" in q["sql"]]
    with connection.cursor() as curseur:
        curseur.execute("SET LOCAL enable_seqscan = off")
        curseur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + requete["sql"])
        (ligne,) = curseur.fetchone()
    plan = (json.loads(ligne) if isinstance(ligne, str) else ligne)[0]["Plan"]
    lues = arrondi = 0
    for noeud in _noeuds(plan):
        if noeud.get("Relation Name") != "viewflow_process":
            continue
        assert noeud["Node Type"] != "Seq Scan", json.dumps(plan, indent=1)
        par_boucle = (
            noeud["Actual Rows"]
            + noeud.get("Rows Removed by Filter", 0)
            + noeud.get("Rows Removed by Index Recheck", 0)
        )
        lues += par_boucle * noeud["Actual Loops"]
        # EXPLAIN donne des moyennes par boucle arrondies à l'entier.
        arrondi += noeud["Actual Loops"] / 2
    du_plie_1 = Process.objects.filter(flow_class=AlerteFlow, status=PROCESS.NEW).filter(
        artifact_object_id__in=Parcours.objects.filter(plie=monde.plie1).values("pk")
    )
    assert du_plie_1.count() == 6
    # 6 (+ arrondis : au plus 9 ici) ; l'ancien compte en lisait 34 (les 28 du PLIE 2).
    assert 0 < lues <= 6 + arrondi < 6 + 28, json.dumps(plan, indent=1)
