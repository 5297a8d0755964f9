"""Le travail reprend : les parcours ouverts repris ont les processus qu'un parcours dans cet
état aurait, au bon nœud, dans la boîte du bon référent, avec leurs minuteurs et leurs alertes
(docs/reprise.md, « Le travail reprend »)."""

import datetime

import pytest
from django.urls import reverse
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.factories import ParticipantFactory
from tests.reprise.export import ecrire_export, generer
from workflows import access as workflows_access
from workflows.alertes.flows import AlerteFlow
from workflows.alertes.verification import verifier_alertes
from workflows.commissions.reactions import avancer_flux_entree
from workflows.emploi.flows import SortieFlow
from workflows.entree.flows import EntreeFlow
from workflows.reprise.reactions import reprendre_le_travail
from workflows.suivi.flows import SuspensionFlow

pytestmark = pytest.mark.django_db

# État -> (flux, nœud où le processus attend, statut de la tâche qui attend).
ATTENDUS = {
    "prescrit": (EntreeFlow, EntreeFlow.verifier_recevabilite, STATUS.NEW),
    "recevable": (EntreeFlow, EntreeFlow.decision_commission, STATUS.NEW),
    "en_commission_entree": (EntreeFlow, EntreeFlow.decision_commission, STATUS.NEW),
    "ajourne": (EntreeFlow, EntreeFlow.decision_commission, STATUS.NEW),
    "admis": (EntreeFlow, EntreeFlow.premier_entretien, STATUS.ASSIGNED),
    "en_emploi": (SortieFlow, SortieFlow.attente, STATUS.SCHEDULED),
    "sortie_proposee": (SortieFlow, SortieFlow.decision, STATUS.NEW),
}
# Sans processus : un prescripteur inconnu (incomplet), des échéances qui sont des alertes (en
# accompagnement), une suspension sans dates reprises (suspendu), les états clos.
SANS_PROCESSUS = {"incomplet", "en_accompagnement", "suspendu"}
FLUX = (EntreeFlow, SortieFlow, SuspensionFlow)


def _lignes(referents):
    a, b = referents
    # Trois désignations : les admis (une ligne sur 14, paire) tombent chez l'un et l'autre.
    return generer(56, referents=(a.username, b.username, a.email))


@pytest.fixture
def export(tmp_path, referents):
    return ecrire_export(tmp_path / "export", *_lignes(referents), "csv")


def _repris():
    return {
        p.source_id: p.parcours
        for p in Provenance.objects.filter(entite=Entite.PARCOURS).select_related("parcours")
    }


def _processus_de(parcours):
    return Process.objects.filter(
        artifact_object_id=parcours.pk, flow_class__in=FLUX, status=PROCESS.NEW
    )


def _tache_en_attente(process):
    return process.task_set.exclude(status=STATUS.DONE).get()


def _etat_des_flux():
    return Process.objects.count(), Task.objects.count()


def test_chaque_parcours_ouvert_a_son_processus_au_bon_noeud(monde, referents, viesion, export):
    rapport = reprendre(monde.plie1, viesion, export)

    vus = set()
    for parcours in _repris().values():
        processus = list(_processus_de(parcours))
        if parcours.statut not in ATTENDUS:
            assert processus == [], parcours.statut
            continue
        flux, noeud, statut = ATTENDUS[parcours.statut]
        assert len(processus) == 1, parcours.statut
        process = processus[0]
        assert process.flow_class is flux
        tache = _tache_en_attente(process)
        assert (tache.flow_task, tache.status) == (noeud, statut), parcours.statut
        # Reliée à la tâche de départ, comme viewflow le fait (historique du processus).
        assert [t.flow_task.name for t in tache.previous.all()] == [
            process.task_set.order_by("pk").first().flow_task.name
        ]
        vus.add(parcours.statut)
    assert vus == set(ATTENDUS)  # chaque état attendu était dans l'export
    processus = Process.objects.filter(flow_class__in=FLUX).count()
    alertes = Process.objects.filter(flow_class=AlerteFlow).count()
    assert (
        f"Travail repris : {processus} processus créé(s) (tâches et minuteurs), "
        f"{alertes} alerte(s) ouverte(s) chez les référents"
    ) in rapport.texte()
    assert {p.statut for p in _repris().values()} >= SANS_PROCESSUS


@pytest.mark.parametrize("cle", ["a", "b"])
def test_le_premier_entretien_est_dans_la_boite_du_bon_referent(
    monde, referents, viesion, export, cle
):
    reprendre(monde.plie1, viesion, export)
    referent, autre = referents if cle == "a" else referents[::-1]

    admis = [p for p in _repris().values() if p.statut == "admis"]
    siens = {p.pk for p in admis if p.referent_id == referent.pk}
    assert siens and len(siens) < len(admis)
    boite = workflows_access.mes_taches(referent).filter(flow_task=EntreeFlow.premier_entretien)
    assert {int(t.process.artifact_object_id) for t in boite} == siens
    assert (
        not workflows_access.mes_taches(autre)
        .filter(process__artifact_object_id__in=siens)
        .exists()
    )


@pytest.mark.parametrize("plie", [1, 2])
def test_la_verification_de_recevabilite_est_dans_la_file_de_l_animation_du_plie(
    monde, referents, viesion, export, plie
):
    reprendre(monde.plie1, viesion, export)
    animateur = monde.user(Role.ANIMATEUR, "a", plie)

    prescrits = {p.pk for p in _repris().values() if p.statut == "prescrit"}
    file = workflows_access.taches_a_prendre(animateur).filter(
        flow_task=EntreeFlow.verifier_recevabilite
    )
    # L'animation du PLIE repris les voit ; celle de l'autre PLIE, aucun.
    attendu = prescrits if plie == 1 else set()
    assert {int(t.process.artifact_object_id) for t in file} == attendu


def test_les_alertes_sont_calculees_pour_les_parcours_repris(monde, referents, viesion, export):
    reprendre(monde.plie1, viesion, export)

    # Entrés en 2021-2023 sans entretien repris : l'entretien mensuel est dû, chez leur référent,
    # avec son échéance, dans sa boîte.
    suivis = [p for p in _repris().values() if p.statut == "en_accompagnement"]
    alertes = Process.objects.filter(
        flow_class=AlerteFlow,
        status=PROCESS.NEW,
        artifact_object_id__in=[p.pk for p in suivis],
        data__type="entretien_mensuel",
    )
    assert alertes.count() == len(suivis) > 0
    for parcours in suivis:
        tache = Task.objects.get(
            process__in=alertes.filter(artifact_object_id=parcours.pk), status=STATUS.ASSIGNED
        )
        assert tache.flow_task == AlerteFlow.traiter
        assert tache.owner_id == parcours.referent_id
        assert tache in workflows_access.mes_taches(tache.owner)
        assert datetime.datetime.fromisoformat(tache.data["echeance"]) >= tache.created
    # Ouvertes par lots, elles sont exactement celles de la passe périodique : une passe juste
    # après n'a rien à ouvrir ni à lever.
    bilan = verifier_alertes(parcours=Parcours.objects.filter(plie=monde.plie1))
    assert (bilan.ouvertes, bilan.levees, bilan.reassignees) == ([], [], 0)


def test_relancer_la_reprise_ne_cree_rien(monde, referents, viesion, export):
    reprendre(monde.plie1, viesion, export)
    avant = _etat_des_flux()
    assert avant[0] > 0

    assert reprendre(monde.plie1, viesion, export).travail == []
    assert _etat_des_flux() == avant
    # Même appelé directement avec tous les parcours repris : aucun deuxième processus.
    assert reprendre_le_travail(monde.plie1, [p.pk for p in _repris().values()]) == (0, 0)
    assert _etat_des_flux() == avant


def test_le_controle_ne_cree_aucun_processus(monde, referents, viesion, export):
    rapport = reprendre(monde.plie1, viesion, export, dry_run=True)
    assert _etat_des_flux() == (0, 0)
    assert "Travail repris" not in rapport.texte()


def test_un_parcours_deja_ouvert_dans_l_instance_n_est_pas_touche(monde, referents, viesion):
    """Hors des parcours repris, rien : ni processus, ni alerte."""
    (deja,) = Parcours.objects.bulk_create(
        [
            Parcours(
                plie=monde.plie1,
                participant=ParticipantFactory(),
                statut="admis",
                date_prescription=datetime.date(2022, 1, 3),
                referent=referents[0],
            )
        ]
    )
    reprendre_le_travail(monde.plie1, [])
    assert not Process.objects.filter(artifact_object_id=deja.pk).exists()


def test_la_decision_de_commission_fait_avancer_le_processus_repris(
    monde, referents, viesion, export
):
    reprendre(monde.plie1, viesion, export)
    parcours = next(p for p in _repris().values() if p.statut == "en_commission_entree")
    Parcours.objects.filter(pk=parcours.pk).update(statut="admis", referent=referents[0])

    avancer_flux_entree(parcours)  # ce que fait l'écran de séance après la décision

    process = _processus_de(parcours).get()
    tache = process.task_set.get(flow_task=EntreeFlow.premier_entretien)
    assert (tache.status, tache.owner) == (STATUS.ASSIGNED, referents[0])


def test_un_parcours_rouvert_par_une_relance_recoit_son_processus(
    monde, referents, viesion, tmp_path
):
    """Annulé dans le premier export, recevable dans le suivant : à la relance, il attend la
    commission d'entrée ; aucun autre parcours ne reçoit quoi que ce soit."""
    participants, parcours = _lignes(referents)
    reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "v1", participants, parcours))
    avant = _etat_des_flux()
    ligne = next(x for x in parcours if x["Statut"] == "Annulé")
    ligne["Statut"] = "Recevable"

    reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "v2", participants, parcours))

    rouvert = _repris()[ligne["N° parcours"]]
    assert rouvert.statut == "recevable"
    process = _processus_de(rouvert).get()
    assert _tache_en_attente(process).flow_task == EntreeFlow.decision_commission
    assert _etat_des_flux() == (avant[0] + 1, avant[1] + 2)


def test_l_accueil_du_referent_montre_ses_taches_reprises(
    client, monde, referents, viesion, export
):
    """La boîte de l'écran d'accueil : ses premiers entretiens et ses alertes, pas ceux de
    l'autre référent."""
    reprendre(monde.plie1, viesion, export)
    b = referents[1]
    siens = {p.pk for p in _repris().values() if p.referent_id == b.pk and p.statut == "admis"}
    client.force_login(b)

    taches = client.get(reverse("accueil:index")).context["taches"]

    entretiens = [t for t in taches if t.flow_task == EntreeFlow.premier_entretien]
    assert {int(t.process.artifact_object_id) for t in entretiens} == siens
    assert all(t.owner_id == b.pk for t in taches)
    assert any(t.flow_task == AlerteFlow.traiter for t in taches)


def test_une_relance_qui_change_l_etat_remplace_les_processus(monde, referents, viesion, tmp_path):
    """Recevable puis prescrit : la décision de commission attendue est annulée, la vérification
    de recevabilité attend l'animation. Admis puis annulé : le premier entretien est annulé."""
    participants, parcours = _lignes(referents)
    reprendre(monde.plie1, viesion, ecrire_export(tmp_path / "v1", participants, parcours))
    recevable = next(x for x in parcours if x["Statut"] == "Recevable")
    admis = next(x for x in parcours if x["Statut"] == "Admis")
    avant = [_processus_de(_repris()[x["N° parcours"]]).get() for x in (recevable, admis)]
    recevable["Statut"], admis["Statut"] = "Prescrit", "Annulé"

    rapport = reprendre(
        monde.plie1, viesion, ecrire_export(tmp_path / "v2", participants, parcours)
    )

    for ancien in avant:
        ancien.refresh_from_db()
        assert ancien.status == PROCESS.CANCELED
    prescrit = _repris()[recevable["N° parcours"]]
    process = _processus_de(prescrit).get()
    assert _tache_en_attente(process).flow_task == EntreeFlow.verifier_recevabilite
    assert not _processus_de(_repris()[admis["N° parcours"]]).exists()
    assert "2 processus annulé(s) (état changé)" in rapport.texte()
