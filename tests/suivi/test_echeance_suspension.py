import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import MotifSuspension, Statut
from parcours.core.enums import Role
from workflows.suivi.flows import SuspensionFlow

AUJOURD_HUI = timezone.localdate
# Construit les URL du site : les nœuds viewflow ne savent se renverser qu'une fois montés.
ACCUEIL = reverse("accueil:index")


def _taches(dossier, noeud, **filtres):
    return SuspensionFlow.task_class.objects.filter(
        process__artifact_object_id=dossier.pk,
        process__flow_class=SuspensionFlow,
        flow_task=getattr(SuspensionFlow, noeud),
        **filtres,
    )


def _suspendre_echue(dossier, referent):
    """Une suspension dont la fin prévue est aujourd'hui, minuteur déclenché."""
    debut = AUJOURD_HUI() - datetime.timedelta(days=90)
    suspension = suivi.suspendre_parcours(
        dossier, referent, motif=MotifSuspension.SANTE, debut=debut, fin_prevue=AUJOURD_HUI()
    )
    (minuteur,) = _taches(dossier, "attendre", status=STATUS.SCHEDULED)
    assert timezone.localdate(minuteur.scheduled) == AUJOURD_HUI()
    _taches(dossier, "attendre").update(scheduled=timezone.now() - datetime.timedelta(minutes=1))
    assert fire_due_timers() >= 1
    return suspension


def test_a_la_fin_prevue_la_tache_arrive_chez_le_referent(dossier, referent):
    _suspendre_echue(dossier, referent)
    (tache,) = _taches(dossier, "renouveler_ou_lever")
    assert tache.owner == referent and tache.status == STATUS.ASSIGNED
    assert tache.data["echeance"].startswith(AUJOURD_HUI().isoformat())


def test_renouveler_depuis_la_tache_rearme_le_minuteur(client, dossier, referent):
    suspension = _suspendre_echue(dossier, referent)
    (tache,) = _taches(dossier, "renouveler_ou_lever")
    url = tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])
    client.force_login(referent)
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"decision": "renouveler", "motif": "Soins prolongés"})
    assert reponse.status_code == 302
    suspension.refresh_from_db()
    assert suspension.fin_prevue == suivi.ajouter_mois(AUJOURD_HUI(), 3)
    (minuteur,) = _taches(dossier, "attendre", status=STATUS.SCHEDULED)
    assert timezone.localdate(minuteur.scheduled) == suspension.fin_prevue


def test_lever_depuis_la_tache_termine_le_processus(client, dossier, referent):
    _suspendre_echue(dossier, referent)
    (tache,) = _taches(dossier, "renouveler_ou_lever")
    url = tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])
    client.force_login(referent)
    client.post(url, {"decision": "lever", "motif": "Reprise"})
    dossier.refresh_from_db()
    tache.process.refresh_from_db()
    assert dossier.statut == Statut.EN_ACCOMPAGNEMENT
    assert tache.process.status == PROCESS.DONE


def test_renouveler_depuis_la_page_reporte_le_minuteur(dossier, referent):
    suspension = suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.FAMILLE)
    suspension = suivi.renouveler_suspension(dossier, referent)
    (minuteur,) = _taches(dossier, "attendre", status=STATUS.SCHEDULED)
    assert timezone.localdate(minuteur.scheduled) == suspension.fin_prevue


def test_lever_avant_la_fin_annule_le_minuteur(dossier, referent):
    suivi.suspendre_parcours(dossier, referent, motif=MotifSuspension.FAMILLE)
    suivi.lever_suspension(dossier, referent)
    assert not _taches(dossier, "attendre", status=STATUS.SCHEDULED).exists()
    fire_due_timers()
    assert not _taches(dossier, "renouveler_ou_lever").exists()


@pytest.mark.parametrize(
    "role, structure, plie", [(Role.REFERENT, "b", 1), (Role.ANIMATEUR, "a", 2)]
)
def test_tache_invisible_hors_perimetre(client, monde, dossier, referent, role, structure, plie):
    _suspendre_echue(dossier, referent)
    (tache,) = _taches(dossier, "renouveler_ou_lever")
    client.force_login(monde.user(role, structure, plie))
    url = tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])
    assert client.get(url).status_code == 404


def test_tache_visible_dans_la_boite(client, dossier, referent):
    _suspendre_echue(dossier, referent)
    client.force_login(referent)
    titres = [t.flow_task.task_title for t in client.get(ACCUEIL).context["taches"]]
    assert "Renouveler ou lever la suspension" in titres


def test_echeance_depassee_relancee_par_courriel(dossier, referent):
    from django.core import mail

    from workflows.relances import envoyer_relances

    _suspendre_echue(dossier, referent)
    tache = _taches(dossier, "renouveler_ou_lever").get()
    tache.data["echeance"] = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    tache.save(update_fields=["data"])
    mail.outbox.clear()
    assert envoyer_relances() == 1
    assert "Suspension arrivée à échéance" in mail.outbox[0].subject
