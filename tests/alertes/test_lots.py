"""Ouvrir et lever les alertes par lots (workflows/alertes/lots.py) : les mêmes lignes que
viewflow, champ par champ ; une tâche en cours d'exécution n'est pas levée ; une passe coûte le
même nombre de requêtes pour 2 ou 12 dossiers."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement.models import Parcours
from parcours.dossier.alertes import Constat, TypeAlerte
from tests.alertes.conftest import ENTREE, accompagne
from workflows.alertes.flows import (
    AlerteFlow,
    echeance_de,
    echeance_de_la_tache,
    type_parcours,
)
from workflows.alertes.lots import lever_en_lot, ouvrir_en_lot
from workflows.alertes.verification import processus_d_alerte, verifier_alertes

pytestmark = pytest.mark.django_db

# Ce qui diffère forcément d'une ouverture à l'autre : clés, instants, dossier.
VARIABLES = {"id", "process_id", "created", "started", "finished", "artifact_object_id"}


def _constat(parcours, type_alerte=TypeAlerte.SANS_CONTACT):
    return Constat(
        parcours_id=parcours.pk,
        type=type_alerte,
        cle="2025-03-15",
        echeance=datetime.date(2025, 3, 15),
        raison="Aucun contact depuis 2 mois.",
        titre="Sans contact depuis 2 mois — aucun depuis l'entrée le 15/01",
    )


def _champs(objet) -> dict:
    return {
        f.attname: getattr(objet, f.attname)
        for f in type(objet)._meta.concrete_fields
        if f.attname not in VARIABLES
    }


def _lignes(parcours):
    process = processus_d_alerte([parcours.pk]).get()
    taches = list(process.task_set.order_by("pk"))
    liens = [list(t.previous.values_list("pk", flat=True)) for t in taches]
    return process, taches, liens


def test_une_alerte_ouverte_par_lot_est_celle_de_viewflow(monde):
    par_viewflow, par_lot = accompagne(monde), accompagne(monde)
    AlerteFlow.start.run(parcours=par_viewflow, constat=_constat(par_viewflow))
    assert ouvrir_en_lot([(par_lot.pk, par_lot.referent_id, _constat(par_lot))]) == 1

    p1, taches1, liens1 = _lignes(par_viewflow)
    p2, taches2, liens2 = _lignes(par_lot)
    d1, d2 = _champs(p1), _champs(p2)
    assert d1.pop("data").keys() == d2["data"].keys()
    d2.pop("data")
    assert d1 == d2
    assert p2.artifact == par_lot and p2.flow_class is AlerteFlow
    assert [t.flow_task for t in taches2] == [AlerteFlow.start, AlerteFlow.traiter]
    for t1, t2 in zip(taches1, taches2, strict=True):
        c1, c2 = _champs(t1), _champs(t2)
        # L'échéance d'une tâche dépend de l'instant de sa création (jamais avant elle) : mêmes
        # clés, et chacune suit la règle pour sa propre création.
        assert c1.pop("data").keys() == c2.pop("data").keys()
        for t in (t1, t2):
            if "echeance" in t.data:
                attendue = echeance_de_la_tache(echeance_de(t.process.data), t.created)
                assert t.data["echeance"] == attendue.isoformat()
        assert c1 == {**c2, "owner_id": c1["owner_id"]}
        assert (t1.started is None, t1.finished is None) == (
            t2.started is None,
            t2.finished is None,
        )
    assert (taches1[0].owner_id, taches2[0].owner_id) == (None, None)
    assert taches1[1].owner_id == par_viewflow.referent_id
    assert taches2[1].owner_id == par_lot.referent_id
    # La tâche « Traiter » suit la tâche de départ, comme chez viewflow.
    assert liens1 == [[], [taches1[0].pk]] and liens2 == [[], [taches2[0].pk]]
    # Le nom des tables écrites en SQL par la levée par lot.
    assert (Process._meta.db_table, Task._meta.db_table) == ("viewflow_process", "viewflow_task")


def test_une_alerte_levee_par_lot_est_celle_de_viewflow(monde):
    a, b = accompagne(monde), accompagne(monde)
    ouvrir_en_lot([(p.pk, p.referent_id, _constat(p)) for p in (a, b)])
    pa, pb = (processus_d_alerte([p.pk]).get() for p in (a, b))
    AlerteFlow.instance.cancel(pa)  # ce qu'écrit viewflow en annulant
    assert lever_en_lot({pb.pk: "un contact avec la personne a été enregistré"}) == set()
    pa.refresh_from_db()
    pb.refresh_from_db()
    assert (pa.status, pb.status) == (PROCESS.CANCELED, PROCESS.CANCELED)
    assert pa.finished is not None and pb.finished is not None
    assert pb.data["levee"]["raison"] == (
        "levée automatiquement : un contact avec la personne a été enregistré"
    )
    datetime.datetime.fromisoformat(pb.data["levee"]["le"])  # un instant lisible
    for process in (pa, pb):
        statuts = list(process.task_set.order_by("pk").values_list("status", "finished"))
        assert [s for s, _ in statuts] == [STATUS.DONE, STATUS.CANCELED]
        assert all(fin is not None for _, fin in statuts)


def test_une_tache_en_cours_d_execution_n_est_pas_levee(monde):
    a, b = accompagne(monde), accompagne(monde)
    ouvrir_en_lot([(p.pk, p.referent_id, _constat(p)) for p in (a, b)])
    pa, pb = (processus_d_alerte([p.pk]).get() for p in (a, b))
    Task.objects.filter(process=pa, flow_task=AlerteFlow.traiter).update(status=STATUS.STARTED)
    assert lever_en_lot({pa.pk: "x", pb.pk: "x"}) == {pa.pk}
    pa.refresh_from_db()
    pb.refresh_from_db()
    assert (pa.status, pb.status) == (PROCESS.NEW, PROCESS.CANCELED)
    assert "levee" not in pa.data


def test_une_alerte_deja_traitee_n_est_pas_touchee(monde):
    a = accompagne(monde)
    ouvrir_en_lot([(a.pk, a.referent_id, _constat(a))])
    process = processus_d_alerte([a.pk]).get()
    Process.objects.filter(pk=process.pk).update(status=PROCESS.DONE)
    assert lever_en_lot({process.pk: "x"}) == set()
    process.refresh_from_db()
    assert process.status == PROCESS.DONE and "levee" not in process.data


def _passe(jour, dossiers):
    with CaptureQueriesContext(connection) as ctx:
        bilan = verifier_alertes(jour, Parcours.objects.filter(pk__in=[p.pk for p in dossiers]))
    return bilan, len(ctx.captured_queries)


def test_une_passe_coute_autant_de_requetes_pour_2_ou_12_dossiers(monde):
    jour = ENTREE + relativedelta(months=30)
    petits, grands = [accompagne(monde) for _ in range(2)], [accompagne(monde) for _ in range(12)]
    bilan_petit, ouverture_petite = _passe(jour, petits)
    bilan_grand, ouverture_grande = _passe(jour, grands)
    assert len(bilan_grand.ouvertes) == 6 * len(bilan_petit.ouvertes) > 0
    assert ouverture_grande == ouverture_petite
    # Le lendemain de la sortie de l'accompagnement, tout se lève, en lot aussi.
    for dossiers in (petits, grands):
        Parcours.objects.filter(pk__in=[p.pk for p in dossiers]).update(statut="sorti")
    bilan_petit, levee_petite = _passe(jour, petits)
    bilan_grand, levee_grande = _passe(jour, grands)
    assert len(bilan_grand.levees) == 6 * len(bilan_petit.levees) > 0
    assert levee_grande == levee_petite
    assert not processus_d_alerte([p.pk for p in grands]).filter(status=PROCESS.NEW).exists()
    assert type_parcours() is not None
