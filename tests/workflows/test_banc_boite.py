"""La mesure « Mes tâches restreinte / Task.inbox de viewflow » du banc (bench/boite.py) : elle
compare les deux boîtes du même compte sur les mêmes tâches et ne modifie pas la base. Ce n'est
pas un test chronométré : seuls la forme des mesures et leurs lignes sont vérifiées."""

import pytest
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from bench import boite
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from tests.factories import parcours_en
from workflows import access as workflows_access
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db


def test_les_deux_boites_du_meme_compte_sur_les_memes_taches(monde):
    referent = monde.user(Role.REFERENT)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    process = Process.objects.create(flow_class=EntreeFlow, artifact=parcours)
    Task.objects.create(
        process=process,
        flow_task=EntreeFlow.premier_entretien,
        owner=referent,
        status=STATUS.ASSIGNED,
    )
    (viewflow, v), (restreinte, r), (rapport, q) = boite.mesurer(referent.username)
    assert "inbox" in viewflow and "mes_taches" in restreinte and "rapport" in rapport
    assert v["lignes"] == r["lignes"] == v["taches"] >= 1  # tout est visible : mêmes lignes
    for mesure in (v, r):
        assert mesure["ms"] == pytest.approx(mesure["planification"] + mesure["execution"])
        assert mesure["preparee"] > 0
    assert q["ms"] == pytest.approx(r["ms"] / v["ms"])


def test_la_mesure_du_pilotage_laisse_la_file_intacte(monde):
    animateur = monde.user(Role.ANIMATEUR)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    process = Process.objects.create(flow_class=EntreeFlow, artifact=parcours)
    tache = Task.objects.create(
        process=process,
        flow_task=EntreeFlow.verifier_recevabilite,
        owner_permission=workflows_access.ANIMER_PLIE,
        owner_permission_obj_pk=str(parcours.plie_id),
        status=STATUS.NEW,
    )
    mesures = boite.mesurer_pilotage(animateur.username, parcours.plie_id)
    assert mesures[0][1]["taches"] == 1  # prise le temps de la mesure
    tache.refresh_from_db()
    assert (tache.owner_id, tache.status) == (None, STATUS.NEW)


def test_la_piste_du_dossier_sur_la_tache_mesure_les_memes_lignes_et_annule_tout(monde):
    """bench/boite_artefact.py : les variantes c1 et c2 rendent les lignes de « Mes tâches » ; le
    remplissage des `artifact_*` et la colonne temporaire sont annulés."""
    from django.db import connection

    from bench import boite_artefact

    referent = monde.user(Role.REFERENT)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    process = Process.objects.create(flow_class=EntreeFlow, artifact=parcours)
    tache = Task.objects.create(
        process=process,
        flow_task=EntreeFlow.premier_entretien,
        owner=referent,
        status=STATUS.ASSIGNED,
    )
    animateur = monde.user(Role.ANIMATEUR)
    a_prendre = Task.objects.create(
        process=process,
        flow_task=EntreeFlow.verifier_recevabilite,
        owner_permission=workflows_access.ANIMER_PLIE,
        owner_permission_obj_pk=str(parcours.plie_id),
        status=STATUS.NEW,
    )
    comptes = [referent.username, animateur.username]  # le pilotage prend la file, en dernier
    resultats = boite_artefact.mesurer(comptes, tours=1, plie_id=parcours.plie_id)
    for compte, attendue in zip(comptes, (tache, a_prendre), strict=True):
        assert len(resultats[compte]) == 4
        assert {tuple(lignes) for _, _, lignes in resultats[compte].values()} == {(attendue.pk,)}
    for t in (tache, a_prendre):
        t.refresh_from_db()
        assert t.artifact_object_id is None
    assert (a_prendre.owner_id, a_prendre.status) == (None, STATUS.NEW)
    with connection.cursor() as curseur:
        colonnes = [
            c.name for c in connection.introspection.get_table_description(curseur, "viewflow_task")
        ]
    assert "bench_plie_id" not in colonnes
