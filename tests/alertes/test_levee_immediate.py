"""Une alerte se ferme dans la transaction de l'action qui supprime sa cause (entretien, contact,
étape), pas à la passe périodique suivante : le dossier et la boîte concordent tout de suite. Et
une seule alerte ouverte par dossier et type, même sous des passes concurrentes."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement import suivi
from parcours.accompagnement.models import Parcours
from parcours.dossier.alertes import TypeAlerte, constats_du_parcours
from tests.alertes.conftest import accompagne, etape
from workflows.alertes import reactions
from workflows.alertes.flows import AlerteFlow
from workflows.alertes.verification import processus_d_alerte, verifier_alertes

ACCUEIL = reverse("accueil:index")


def ouvertes(parcours) -> dict:
    return {
        p.data["type"]: p
        for p in processus_d_alerte([parcours.pk]).filter(status=PROCESS.NEW).order_by("pk")
    }


def parcours_en_alerte(monde):
    """Entré en 2025, sans entretien ni étape : aujourd'hui, ses alertes de suivi tiennent."""
    parcours = accompagne(monde)
    verifier_alertes(parcours=Parcours.objects.filter(pk=parcours.pk))
    alertes = ouvertes(parcours)
    assert {TypeAlerte.ENTRETIEN_MENSUEL, TypeAlerte.SANS_CONTACT, TypeAlerte.SANS_ETAPE} <= set(
        alertes
    )
    return parcours, alertes


def titres_de_la_boite(client, user):
    client.force_login(user)
    return [t.titre for t in client.get(ACCUEIL).context["taches"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("canal", "levees"),
    [
        ("physique_individuel", {TypeAlerte.ENTRETIEN_MENSUEL, TypeAlerte.SANS_CONTACT}),
        ("telephone", {TypeAlerte.SANS_CONTACT}),  # un contact n'est pas un entretien physique
    ],
)
def test_un_entretien_leve_ses_alertes_dans_sa_transaction(client, monde, canal, levees):
    parcours, alertes = parcours_en_alerte(monde)
    avant = titres_de_la_boite(client, parcours.referent)
    assert any(t.startswith("Entretien mensuel dû") for t in avant)
    suivi.enregistrer_entretien(
        parcours, parcours.referent, date=timezone.now(), canal=canal, note="Point d'étape"
    )
    restantes = ouvertes(parcours)
    assert levees.isdisjoint(restantes)
    assert set(alertes) - levees == set(restantes)  # les autres causes demeurent
    for type_alerte in levees:
        process = alertes[type_alerte]
        process.refresh_from_db()
        assert process.status == PROCESS.CANCELED
        assert process.data["levee"]["raison"].startswith("levée automatiquement : ")
        assert process.task_set.get(flow_task=AlerteFlow.traiter).status == STATUS.CANCELED
    # Le dossier et la boîte disent la même chose, sans attendre la passe périodique.
    au_dossier = {c.type for c in constats_du_parcours(parcours)}
    assert au_dossier == set(restantes)
    apres = titres_de_la_boite(client, parcours.referent)
    assert len(apres) == len(avant) - len(levees)


@pytest.mark.django_db
def test_une_etape_leve_l_alerte_sans_etape(monde):
    parcours, _alertes = parcours_en_alerte(monde)
    etape(parcours, timezone.localdate())
    assert TypeAlerte.SANS_ETAPE not in ouvertes(parcours)
    assert TypeAlerte.ENTRETIEN_MENSUEL in ouvertes(parcours)  # un atelier n'est pas un emploi


@pytest.mark.django_db
def test_action_annulee_alerte_gardee(monde):
    """Même transaction : si l'action est annulée, la levée l'est aussi."""
    parcours, alertes = parcours_en_alerte(monde)
    with pytest.raises(RuntimeError), transaction.atomic():
        suivi.enregistrer_entretien(
            parcours, parcours.referent, date=timezone.now(), canal="physique_individuel"
        )
        assert TypeAlerte.ENTRETIEN_MENSUEL not in ouvertes(parcours)
        raise RuntimeError("l'action échoue après l'entretien")
    assert set(ouvertes(parcours)) == set(alertes)


@pytest.mark.django_db
def test_un_echec_de_la_levee_n_empeche_pas_l_action(monde, monkeypatch):
    parcours, alertes = parcours_en_alerte(monde)

    def en_panne(parcours_id):
        Process.objects.filter(pk=-1).update(status="X")  # une écriture, puis l'erreur
        raise RuntimeError("panne")

    monkeypatch.setattr(reactions, "lever_les_alertes_sans_cause", en_panne)
    entretien = suivi.enregistrer_entretien(
        parcours, parcours.referent, date=timezone.now(), canal="physique_individuel"
    )
    assert entretien.pk is not None
    assert set(ouvertes(parcours)) == set(alertes)  # la passe périodique s'en chargera
    assert verifier_alertes(parcours=Parcours.objects.filter(pk=parcours.pk)).levees


@pytest.mark.django_db
def test_sans_alerte_ouverte_une_seule_requete(monde, django_assert_num_queries):
    parcours = accompagne(monde)
    with django_assert_num_queries(1):
        reactions.lever_les_alertes_sans_cause(parcours.pk)


@pytest.mark.django_db
def test_la_base_refuse_une_seconde_alerte_ouverte_du_meme_type(monde):
    parcours, alertes = parcours_en_alerte(monde)
    type_alerte = TypeAlerte.SANS_CONTACT
    with pytest.raises(IntegrityError), transaction.atomic():
        Process.objects.create(
            flow_class=AlerteFlow,
            artifact=parcours,
            status=PROCESS.NEW,
            data={"type": type_alerte, "cle": "autre"},
        )
    # Une alerte fermée n'empêche pas d'en rouvrir une.
    Process.objects.filter(pk=alertes[type_alerte].pk).update(status=PROCESS.DONE)
    Process.objects.create(
        flow_class=AlerteFlow, artifact=parcours, status=PROCESS.NEW, data={"type": type_alerte}
    )


@pytest.mark.django_db(transaction=True)
def test_deux_passes_concurrentes_une_seule_alerte_par_type(monde):
    """Deux vérifications en même temps (deux connexions) sur le même dossier : chaque alerte
    n'est ouverte qu'une fois."""
    parcours = accompagne(monde)
    depart = threading.Barrier(2)
    erreurs = []

    def passe():
        try:
            depart.wait(10)
            verifier_alertes(parcours=Parcours.objects.filter(pk=parcours.pk))
        except Exception as exc:  # rapportée au test
            erreurs.append(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=passe) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(60)
    assert erreurs == []
    types = list(
        processus_d_alerte([parcours.pk])
        .filter(status=PROCESS.NEW)
        .values_list("data__type", flat=True)
    )
    assert types
    assert len(types) == len(set(types))
    assert processus_d_alerte([parcours.pk]).count() == len(types)
