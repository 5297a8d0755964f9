"""Les alertes comme tâches : ouvertes au référent, levées d'elles-mêmes, idempotentes."""

import datetime
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement import suivi
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from parcours.dossier.alertes import TypeAlerte
from tests.alertes.conftest import ENTREE, accompagne, entretien
from workflows.alertes.flows import AlerteFlow
from workflows.alertes.verification import processus_d_alerte, verifier_alertes
from workflows.relances import envoyer_relances

pytestmark = pytest.mark.django_db
ACCUEIL = reverse("accueil:index")


def alertes(parcours, **filtres):
    return processus_d_alerte([parcours.pk]).filter(**filtres).order_by("pk")


def ouverte(parcours, type_alerte):
    process = alertes(parcours, status=PROCESS.NEW, data__type=type_alerte).get()
    return process, process.task_set.get(flow_task=AlerteFlow.traiter)


def seulement(parcours):
    return Parcours.objects.filter(pk=parcours.pk)


def test_ouvre_une_tache_chez_le_referent_avec_son_echeance(monde, delais):
    parcours = accompagne(monde)
    limite = ENTREE + relativedelta(months=delais.entretien_physique_mois)
    bilan = verifier_alertes(limite, seulement(parcours))
    assert (parcours.pk, TypeAlerte.ENTRETIEN_MENSUEL) in bilan.ouvertes
    process, tache = ouverte(parcours, TypeAlerte.ENTRETIEN_MENSUEL)
    assert process.artifact == parcours
    assert (tache.status, tache.owner) == (STATUS.ASSIGNED, parcours.referent)
    # Le constat garde sa date (dans le dossier) ; la tâche, créée après, est due le jour de sa
    # création : jamais avant d'exister.
    assert datetime.datetime.fromisoformat(process.data["echeance"]).date() == limite
    echeance = datetime.datetime.fromisoformat(tache.data["echeance"])
    assert echeance >= tache.created
    assert timezone.localtime(echeance).date() == timezone.localtime(tache.created).date()
    assert process.data["cle"] == limite.isoformat()
    assert process.data["titre"].startswith("Entretien mensuel dû — aucun depuis l'entrée le ")


def test_idempotente(monde, delais):
    parcours = accompagne(monde)
    jour = ENTREE + relativedelta(months=30)
    premier = verifier_alertes(jour, seulement(parcours))
    assert premier.ouvertes
    second = verifier_alertes(jour, seulement(parcours))
    assert (second.ouvertes, second.levees) == ([], [])
    assert alertes(parcours).count() == len(premier.ouvertes)
    # Une seule alerte ouverte par parcours et type.
    types = list(alertes(parcours, status=PROCESS.NEW).values_list("data__type", flat=True))
    assert len(types) == len(set(types))


def test_levee_automatiquement_quand_la_condition_disparait(monde, delais):
    parcours = accompagne(monde)
    jour = ENTREE + relativedelta(months=delais.entretien_physique_mois)
    verifier_alertes(jour, seulement(parcours))
    process, tache = ouverte(parcours, TypeAlerte.ENTRETIEN_MENSUEL)
    entretien(parcours, jour)
    bilan = verifier_alertes(jour, seulement(parcours))
    assert (parcours.pk, TypeAlerte.ENTRETIEN_MENSUEL) in bilan.levees
    process.refresh_from_db()
    tache.refresh_from_db()
    assert (process.status, tache.status) == (PROCESS.CANCELED, STATUS.CANCELED)
    assert process.data["levee"]["raison"] == (
        "levée automatiquement : un entretien physique a été enregistré ou une étape emploi ou "
        "formation est en cours"
    )
    # Rien ne se rouvre tant que la situation ne change pas.
    assert verifier_alertes(jour, seulement(parcours)).ouvertes == []


def test_levee_quand_le_parcours_est_suspendu(monde, delais):
    parcours = accompagne(monde)
    jour = ENTREE + relativedelta(months=delais.sans_contact_mois)
    verifier_alertes(jour, seulement(parcours))
    process, _ = ouverte(parcours, TypeAlerte.SANS_CONTACT)
    suivi.suspendre_parcours(parcours, parcours.referent, motif="sante", debut=jour)
    verifier_alertes(jour, seulement(parcours))
    process.refresh_from_db()
    assert process.status == PROCESS.CANCELED
    assert process.data["levee"]["raison"] == (
        "levée automatiquement : le parcours est désormais « Suspendu (veille) »"
    )


def test_une_situation_nouvelle_remplace_l_alerte(monde, delais):
    parcours = accompagne(monde)
    premier, second = delais.alertes_duree_parcours_mois
    verifier_alertes(ENTREE + relativedelta(months=premier), seulement(parcours))
    ancien, _ = ouverte(parcours, TypeAlerte.DUREE_PARCOURS)
    verifier_alertes(ENTREE + relativedelta(months=second), seulement(parcours))
    ancien.refresh_from_db()
    assert ancien.status == PROCESS.CANCELED
    assert ancien.data["levee"]["raison"].startswith("levée automatiquement : situation nouvelle")
    nouveau, _ = ouverte(parcours, TypeAlerte.DUREE_PARCOURS)
    assert nouveau.data["cle"] == str(second)


def test_le_referent_traite_l_alerte_depuis_sa_boite(client, monde, delais):
    parcours = accompagne(monde)
    jour = ENTREE + relativedelta(months=delais.sans_etape_mois)
    verifier_alertes(jour, seulement(parcours))
    process, tache = ouverte(parcours, TypeAlerte.SANS_ETAPE)
    client.force_login(parcours.referent)
    page = client.get(ACCUEIL)
    (ligne,) = [t for t in page.context["taches"] if t.pk == tache.pk]
    # Constatée échue (le `jour` simulé est passé) : due le jour de sa création, pas avant.
    assert ligne.echeance >= ligne.created
    assert timezone.localtime(ligne.echeance).date() == timezone.localdate()
    mois = delais.sans_etape_mois
    assert ligne.titre == f"Aucune étape depuis {mois} mois — construire la suivante"
    assert ligne.titre in page.content.decode()
    assert "Traiter l'alerte" not in page.content.decode()
    assert (TypeAlerte.SANS_ETAPE.label, 1) in page.context["alertes"]["miennes"]
    url = AlerteFlow.traiter.reverse("execute", args=[process.pk, tache.pk])
    formulaire = client.get(url)
    assert formulaire.status_code == 200
    assert escape(process.data["raison"]) in formulaire.content.decode()
    assert client.post(url, {"commentaire": ""}).status_code == 200  # commentaire exigé
    response = client.post(url, {"commentaire": "Atelier CV proposé le 12/03."})
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert process.data["traitement"]["commentaire"] == "Atelier CV proposé le 12/03."
    # Traitée : la même situation ne la rouvre pas.
    assert verifier_alertes(jour, seulement(parcours)).ouvertes == []


@pytest.mark.parametrize(
    "etranger",
    [
        ("referent", "b", 1),
        ("animateur", "a", 2),
        ("prescripteur", "b", 1),
    ],
)
def test_tache_d_alerte_hors_perimetre_404(client, monde, etranger):
    parcours = accompagne(monde)
    verifier_alertes(ENTREE + relativedelta(months=30), seulement(parcours))
    process, tache = ouverte(parcours, TypeAlerte.DUREE_PARCOURS)
    url = AlerteFlow.traiter.reverse("execute", args=[process.pk, tache.pk])
    role, structure, plie = etranger
    client.force_login(monde.user(Role(role), structure, plie))
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_l_alerte_suit_le_changement_de_referent(monde):
    parcours = accompagne(monde)
    verifier_alertes(ENTREE + relativedelta(months=30), seulement(parcours))
    nouveau = monde.user(Role.REFERENT, "b")
    suivi.changer_referent(parcours, nouveau, monde.user(Role.ANIMATEUR), "Départ en congé")
    bilan = verifier_alertes(ENTREE + relativedelta(months=30), seulement(parcours))
    assert bilan.reassignees >= 1
    ouvertes = Task.objects.filter(
        flow_task=AlerteFlow.traiter,
        status=STATUS.ASSIGNED,
        process__artifact_object_id=parcours.pk,
    )
    assert set(ouvertes.values_list("owner", flat=True)) == {nouveau.pk}


def test_l_animation_compte_les_alertes_de_son_plie(client, monde):
    accompagne(monde)
    accompagne(monde, structure="b")
    accompagne(monde, plie=2)
    verifier_alertes(ENTREE + relativedelta(months=30))
    client.force_login(monde.user(Role.ANIMATEUR))
    comptes = dict(client.get(ACCUEIL).context["alertes"]["plie"])
    assert comptes[TypeAlerte.DUREE_PARCOURS.label] == 2
    assert client.get(ACCUEIL).context["alertes"]["miennes"] == []


def test_commande_verifier_alertes(monde):
    parcours = accompagne(monde)
    sortie = StringIO()
    jour = ENTREE + relativedelta(months=30)
    call_command("verifier_alertes", "--date", jour.isoformat(), stdout=sortie)
    assert "alerte(s) ouverte(s)" in sortie.getvalue()
    n = alertes(parcours).count()
    assert n >= 3  # durée, entretien, contact, étape
    call_command("verifier_alertes", "--date", jour.isoformat(), stdout=StringIO())
    assert alertes(parcours).count() == n


def test_pas_d_alerte_de_suivi_en_sortie_proposee(monde):
    parcours = accompagne(monde, Statut.SORTIE_PROPOSEE)
    bilan = verifier_alertes(ENTREE + relativedelta(months=30), seulement(parcours))
    assert bilan.ouvertes == []


def test_une_alerte_echue_n_est_pas_relancee_par_courriel(monde, mailoutbox):
    parcours = accompagne(monde)
    verifier_alertes(ENTREE + relativedelta(months=30), seulement(parcours))
    assert alertes(parcours, status=PROCESS.NEW).exists()
    assert envoyer_relances() == 0
    assert mailoutbox == []


def test_une_passe_sans_changement_ne_depend_pas_du_nombre_de_parcours(monde):
    jour = ENTREE + relativedelta(months=30)

    def requetes():
        with CaptureQueriesContext(connection) as capture:
            bilan = verifier_alertes(jour)
        assert (bilan.ouvertes, bilan.levees) == ([], [])
        return len(capture)

    for _ in range(2):
        accompagne(monde)
    verifier_alertes(jour)
    peu = requetes()
    for _ in range(5):
        accompagne(monde)
    verifier_alertes(jour)
    assert requetes() == peu
