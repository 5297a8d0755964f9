"""Une boîte qu'un référent traite en cinq minutes : chaque tâche dit ce qu'elle est, groupée par
personne avec le nombre, triée par échéance ; un résumé en retard / aujourd'hui / cette semaine ;
le filtre ne propose que les types que le rôle reçoit ; un rôle sans tâches a une page utile ;
les actions de viewflow parlent français."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from tests.factories import parcours_en
from workflows.access import ANIMER_PLIE
from workflows.accueil import boites
from workflows.alertes.flows import AlerteFlow
from workflows.entree.flows import EntreeFlow

pytestmark = pytest.mark.django_db
ACCUEIL = reverse("accueil:index")


def alerte(parcours, titre, echeance, type_alerte="sans_contact"):
    process = Process.objects.create(
        flow_class=AlerteFlow,
        artifact=parcours,
        data={"type": type_alerte, "libelle": "Libellé du type", "titre": titre},
    )
    return Task.objects.create(
        process=process,
        flow_task=AlerteFlow.traiter,
        owner=parcours.referent,
        status=STATUS.ASSIGNED,
        data={"echeance": echeance.isoformat()},
    )


def dans(jours, heure=12):
    jour = timezone.localdate() + datetime.timedelta(days=jours)
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


def test_groupee_par_personne_triee_par_echeance_avec_le_titre(client, monde):
    tot, tard = (parcours_en(monde, Statut.EN_ACCOMPAGNEMENT) for _ in range(2))
    alerte(tard, "Sans contact depuis 2 mois — dernier le 12/10", dans(5))
    alerte(tot, "Entretien mensuel dû — dernier le 03/10", dans(3), "entretien_mensuel")
    alerte(tard, "Aucune étape depuis 6 mois — construire la suivante", dans(1), "sans_etape")
    alerte(tot, "RQTH à renouveler — expire le 01/03", dans(9), "rqth")
    client.force_login(tot.referent)
    reponse = client.get(ACCUEIL)
    groupes = reponse.context["groupes"]
    # La personne dont une tâche est la plus proche d'abord, puis ses tâches par échéance.
    assert [g.dossier_id for g in groupes] == [tard.pk, tot.pk]
    assert [g.total for g in groupes] == [2, 2]
    assert [t.titre for t in groupes[0].taches] == [
        "Aucune étape depuis 6 mois — construire la suivante",
        "Sans contact depuis 2 mois — dernier le 12/10",
    ]
    page = reponse.content.decode()
    assert page.count(f'href="{reverse("participants:dossier", args=[tot.pk])}"') == 1
    assert "2 tâches" in page
    assert "Traiter l'alerte" not in page
    assert "Entretien mensuel dû — dernier le 03/10" in page


def test_le_groupe_compte_aussi_les_taches_au_dela_des_premieres(client, monde, monkeypatch):
    monkeypatch.setattr("workflows.accueil.views.TACHES_MAX", 2)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    for jours in (1, 2, 3):
        alerte(parcours, f"Alerte {jours}", dans(jours), f"type{jours}")
    client.force_login(parcours.referent)
    contexte = client.get(ACCUEIL).context
    (groupe,) = contexte["groupes"]
    assert (len(groupe.taches), groupe.total, contexte["taches_en_plus"]) == (2, 3, True)


def test_resume_et_filtre_par_echeance(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    maintenant = timezone.now()
    fin_du_jour = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(23, 59))
    )
    en_retard = alerte(parcours, "En retard", maintenant - datetime.timedelta(minutes=1), "a")
    Task.objects.filter(pk=en_retard.pk).update(created=maintenant - datetime.timedelta(days=3))
    alerte(parcours, "Aujourd'hui", fin_du_jour, "b")
    lundi = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    alerte(parcours, "Lundi prochain", dans((lundi - timezone.localdate()).days), "c")
    client.force_login(parcours.referent)
    reponse = client.get(ACCUEIL)
    assert reponse.context["resume"] == {"retard": 1, "aujourdhui": 1, "semaine": 1}
    assert 'id="resume-taches"' in reponse.content.decode()
    titres = {
        quand: [t.titre for t in client.get(ACCUEIL, {"quand": quand}).context["taches"]]
        for quand in boites.QUAND
    }
    assert titres == {
        "retard": ["En retard"],
        "aujourdhui": ["Aujourd'hui"],
        "semaine": ["Aujourd'hui"],
    }
    # L'ancien paramètre « retard=1 » garde son sens ; une valeur inconnue est ignorée.
    assert [t.titre for t in client.get(ACCUEIL, {"retard": "1"}).context["taches"]] == [
        "En retard"
    ]
    inconnue = client.get(ACCUEIL, {"quand": "hier"})
    assert len(inconnue.context["taches"]) == 3
    assert "Filtre ignoré : échéance inconnue" in inconnue.content.decode()


def test_une_echeance_posee_avant_la_creation_est_ramenee_a_la_creation(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    tache = alerte(parcours, "Constatée échue", dans(-40))
    client.force_login(parcours.referent)
    (ligne,) = client.get(ACCUEIL).context["taches"]
    assert ligne.echeance == tache.created


@pytest.mark.parametrize(
    ("role", "attendus", "exclus"),
    [
        (
            Role.REFERENT,
            {"AlerteFlow.traiter", "EntreeFlow.premier_entretien"},
            {
                "EntreeFlow.verifier_recevabilite",
                "SuiviContratFlow.appel",
            },
        ),
        (
            Role.ANIMATEUR,
            {"EntreeFlow.verifier_recevabilite", "EntreeFlow.completer"},
            {"AlerteFlow.traiter"},
        ),
        (Role.PRESCRIPTEUR, {"EntreeFlow.completer"}, {"AlerteFlow.traiter"}),
        (Role.CRE, {"SuiviContratFlow.appel"}, {"AlerteFlow.traiter", "EntreeFlow.completer"}),
        (Role.FACILITATEUR, {"CandidatureFlow.verifier_eligibilite"}, {"AlerteFlow.traiter"}),
        (Role.DONNEUR_ORDRE, set(), set(boites.tous_les_types())),
    ],
)
def test_le_filtre_ne_propose_que_les_types_du_role(client, monde, role, attendus, exclus):
    client.force_login(monde.user(role))
    types = dict(client.get(ACCUEIL).context["filtres"]["types"])
    assert attendus <= set(types)
    assert not exclus & set(types)
    assert len(types) < len(boites.tous_les_types())


def test_chaque_type_est_recu_par_au_moins_un_role():
    """Un nœud dont le droit ne dit pas qui le reçoit disparaîtrait de tous les filtres."""
    for cle, (_titre, noeud) in boites.tous_les_types().items():
        assert boites.roles_du_noeud(noeud), cle


# Le financeur n'a pas de tâches non plus, mais son accueil est son tableau de bord
# (tests/pilotage/test_exports_tableaux.py).
@pytest.mark.parametrize("role", [Role.DONNEUR_ORDRE])
def test_un_role_sans_taches_a_une_page_utile(client, monde, role):
    animateur = monde.user(Role.ANIMATEUR)
    client.force_login(monde.user(role))
    reponse = client.get(ACCUEIL)
    page = reponse.content.decode()
    assert 'name="type"' not in page  # pas de filtre vide
    assert 'id="resume-taches"' not in page
    assert "Aucune tâche ne vous est adressée" in page
    assert f"mailto:{animateur.email}" in page
    # L'animation du PLIE voisin n'est pas proposée.
    voisin = monde.user(Role.ANIMATEUR, plie=2)
    assert voisin.email not in page


def test_prendre_une_tache_dit_laquelle_et_pour_qui(client, monde):
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    process = Process.objects.create(flow_class=EntreeFlow, artifact=parcours)
    tache = Task.objects.create(
        process=process,
        flow_task=EntreeFlow.verifier_recevabilite,
        owner_permission=ANIMER_PLIE,
        owner_permission_obj_pk=str(parcours.plie_id),
        status=STATUS.NEW,
    )
    animateur = monde.user(Role.ANIMATEUR)
    client.force_login(animateur)
    url = EntreeFlow.verifier_recevabilite.reverse("assign", args=[process.pk, tache.pk])
    reponse = client.post(url, {"_continue": "1"})
    assert reponse.status_code == 302
    (message,) = [str(m) for m in get_messages(reponse.wsgi_request)]
    assert message == (
        f"Tâche « Vérifier la recevabilité » de {parcours.participant} prise en charge : "
        "elle est dans « Mes tâches »."
    )
    assert "#" not in message
    tache.refresh_from_db()
    assert tache.owner == animateur
    # L'animateur d'un autre PLIE ne la voit pas : 404.
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    assert client.post(url, {"_continue": "1"}).status_code == 404


def test_les_alertes_du_plie_se_comptent_jusqu_a_une_borne(client, monde, monkeypatch):
    """Le pilotage voit « plus de N » au-delà de la borne : le compte ne grandit pas avec le
    PLIE (issue 11). Les alertes du PLIE voisin ne comptent pas."""
    monkeypatch.setattr("workflows.alertes.lecture.BORNE_ALERTES_PLIE", 1)
    for structure in ("a", "b"):
        alerte(parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure=structure), "x", dans(1))
    alerte(parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, structure="a"), "x", dans(1), "rqth")
    alerte(parcours_en(monde, Statut.EN_ACCOMPAGNEMENT, plie=2), "x", dans(1), "sans_etape")
    client.force_login(monde.user(Role.ANIMATEUR))
    reponse = client.get(ACCUEIL)
    comptes = dict(reponse.context["alertes"]["plie"])
    assert comptes == {"Sans contact avec la personne": 2, "RQTH arrivant à échéance": 1}
    page = reponse.content.decode()
    assert "Sans contact avec la personne : <strong>plus de 1</strong>" in page
    assert "RQTH arrivant à échéance : <strong>1</strong>" in page
