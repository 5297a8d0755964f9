import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import CanalContact, Presence
from parcours.accompagnement.models import Entretien
from parcours.core.enums import Role
from tests.suivi.conftest import appliquer_referentiel
from workflows import access as workflows_access
from workflows.suivi.flows import SuiviAbsenceFlow

ACCUEIL = reverse("accueil:index")


def _absence(dossier, par, jours=0, presence=Presence.ABSENT_INJUSTIFIE, motif=""):
    quand = timezone.now() - datetime.timedelta(days=jours)
    return suivi.enregistrer_entretien(
        dossier,
        par,
        date=quand,
        canal=CanalContact.PHYSIQUE_INDIVIDUEL,
        presence=presence,
        motif_absence=motif,
    )


def _relances(dossier):
    return list(
        SuiviAbsenceFlow.task_class.objects.filter(
            process__artifact_object_id=dossier.pk,
            flow_task=SuiviAbsenceFlow.relancer_absence,
        ).order_by("data__delai_jours")
    )


def test_absence_injustifiee_cree_courrier_puis_appel(client, dossier, referent, animateur):
    entretien = _absence(dossier, animateur, jours=2)
    jour = timezone.localdate(entretien.date)
    courrier, appel = _relances(dossier)
    for tache, action, delai in ((courrier, "courrier", 5), (appel, "appel", 12)):
        assert tache.owner == referent and tache.status == STATUS.ASSIGNED
        assert tache.data["action"] == action
        echeance = datetime.datetime.fromisoformat(tache.data["echeance"])
        assert timezone.localdate(echeance) == jour + datetime.timedelta(days=delai)
    # Les deux tâches sont dans la boîte du référent, avec leur échéance.
    assert set(workflows_access.mes_taches(referent)) == {courrier, appel}
    client.force_login(referent)
    lignes = {t.pk: t for t in client.get(ACCUEIL).context["taches"]}
    assert timezone.localdate(lignes[courrier.pk].echeance) == jour + datetime.timedelta(days=5)
    assert timezone.localdate(lignes[appel.pk].echeance) == jour + datetime.timedelta(days=12)


def test_delais_des_relances_selon_le_referentiel(monde, dossier, referent):
    appliquer_referentiel(
        monde.plie1,
        suivi={
            "absence_injustifiee": [
                {"action": "sms", "libelle": "Envoyer un SMS", "delai_jours": 1},
            ]
        },
    )
    entretien = _absence(dossier, referent)
    (tache,) = _relances(dossier)
    echeance = datetime.datetime.fromisoformat(tache.data["echeance"])
    assert tache.data["libelle"] == "Envoyer un SMS"
    assert timezone.localdate(echeance) == timezone.localdate(entretien.date) + datetime.timedelta(
        days=1
    )


@pytest.mark.parametrize(
    "presence, motif", [(Presence.ABSENT_JUSTIFIE, "Rendez-vous médical"), (Presence.PRESENT, "")]
)
def test_pas_de_relance_sans_absence_injustifiee(dossier, referent, presence, motif):
    _absence(dossier, referent, presence=presence, motif=motif)
    assert _relances(dossier) == []


def test_pas_de_relance_si_le_referentiel_n_en_prevoit_pas(monde, dossier, referent):
    appliquer_referentiel(monde.plie1, suivi={"absence_injustifiee": []})
    _absence(dossier, referent)
    assert _relances(dossier) == []
    assert Entretien.objects.filter(parcours=dossier).count() == 1


def test_faire_la_relance_enregistre_le_contact(client, dossier, referent):
    _absence(dossier, referent, jours=1)
    courrier, appel = _relances(dossier)
    url = courrier.flow_task.reverse("execute", args=[courrier.process_id, courrier.pk])
    client.force_login(referent)
    page = client.get(url)
    assert page.status_code == 200
    assert "Envoyer un courrier" in page.content.decode()
    assert page.context["form"].initial["canal"] == CanalContact.COURRIER
    # Le compte rendu est obligatoire : le formulaire revient avec l'erreur, rien n'est fait.
    page = client.post(url, {"canal": CanalContact.COURRIER, "note": ""})
    assert page.status_code == 200 and page.context["form"].errors["note"]
    reponse = client.post(url, {"canal": CanalContact.COURRIER, "note": "Courrier envoyé."})
    assert reponse.status_code == 302
    courrier.refresh_from_db()
    assert courrier.status == STATUS.DONE
    contact = Entretien.objects.filter(parcours=dossier, canal=CanalContact.COURRIER).get()
    assert contact.auteur == referent and "Courrier envoyé." in contact.note
    assert courrier.process.status != PROCESS.DONE  # l'appel reste à faire

    url = appel.flow_task.reverse("execute", args=[appel.process_id, appel.pk])
    assert client.get(url).context["form"].initial["canal"] == CanalContact.TELEPHONE
    client.post(url, {"canal": CanalContact.TELEPHONE, "note": "Message laissé."})
    appel.process.refresh_from_db()
    assert appel.process.status == PROCESS.DONE


@pytest.mark.parametrize(
    "role, structure, plie",
    [(Role.REFERENT, "b", 1), (Role.PRESCRIPTEUR, "b", 1), (Role.ANIMATEUR, "a", 2)],
)
def test_tache_de_relance_invisible_hors_perimetre(client, monde, dossier, role, structure, plie):
    _absence(dossier, monde.user(Role.REFERENT))
    courrier, _ = _relances(dossier)
    url = courrier.flow_task.reverse("execute", args=[courrier.process_id, courrier.pk])
    client.force_login(monde.user(role, structure, plie))
    assert client.get(url).status_code == 404


def test_tache_de_relance_sans_connexion(client, dossier, referent):
    _absence(dossier, referent)
    courrier, _ = _relances(dossier)
    url = courrier.flow_task.reverse("execute", args=[courrier.process_id, courrier.pk])
    reponse = client.get(url)
    assert reponse.status_code == 302
    assert reponse.url.startswith(resolve_url(settings.LOGIN_URL))


def test_relance_en_retard_signalee_au_referent_une_fois(dossier, referent):
    from django.core import mail

    from workflows.relances import envoyer_relances

    _absence(dossier, referent, jours=8)  # le courrier (J+5) est en retard, pas l'appel (J+12)
    mail.outbox.clear()
    assert envoyer_relances() == 1
    (courriel,) = mail.outbox
    assert courriel.to == [referent.email]
    assert "Relance après une absence en retard" in courriel.subject
    assert envoyer_relances() == 0


def test_les_relances_suivent_le_nouveau_referent(monde, dossier, referent, animateur):
    from tests.factories import membre

    _absence(dossier, referent)
    collegue = membre(Role.REFERENT, monde.structure("operateur", "b", 1))
    suivi.changer_referent(dossier, collegue, animateur, "Départ")
    assert {t.owner for t in _relances(dossier)} == {collegue}
    assert list(workflows_access.mes_taches(referent)) == []


def test_une_porte_cree_les_relances_en_parallele_dans_un_seul_processus(dossier, referent):
    """La porte `relances` (workflows.nodes.SplitParDonnees) : une tâche par relance du
    référentiel, chacune avec sa relance en données, toutes issues de la même porte."""
    _absence(dossier, referent)
    courrier, appel = _relances(dossier)
    assert courrier.process_id == appel.process_id
    (porte,) = SuiviAbsenceFlow.task_class.objects.filter(
        process_id=courrier.process_id, flow_task=SuiviAbsenceFlow.relances
    )
    assert porte.status == STATUS.DONE
    assert list(courrier.previous.all()) == list(appel.previous.all()) == [porte]
    assert courrier.token != appel.token  # deux branches parallèles
    assert {courrier.data["libelle"], appel.data["libelle"]} == {
        "Envoyer un courrier",
        "Appeler la personne",
    }


def test_la_source_des_relances_est_declaree_sur_la_branche():
    porte = SuiviAbsenceFlow.relances
    source = porte.source_des_donnees(SuiviAbsenceFlow.relancer_absence)
    assert source == SuiviAbsenceFlow.instance.relances_du_referentiel
    assert porte.source_des_donnees(SuiviAbsenceFlow.fin) is None
