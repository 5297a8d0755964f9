"""Qui voit un contrôle de service fait (docs/controle.md) : le contrôleur, le temps de son
accès, les seuls dossiers tirés ; 404 pour un dossier hors échantillon, un accès expiré, un
autre PLIE, le financeur ; ouverture tracée ; requêtes constantes de la page du contrôle."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.core.enums import Role
from parcours.reporting import controles
from parcours.reporting.models import AccesControle
from parcours.reporting.periode import periode
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.factories import membre

pytestmark = pytest.mark.django_db


def _periode():
    aujourdhui = timezone.localdate()
    return periode(aujourdhui - datetime.timedelta(days=30), aujourdhui)


class Scene:
    def __init__(self, monde, operations, n=2):
        self.monde, self.operations = monde, operations
        self.direction = monde.user(Role.DIRECTION)
        self.tires = [operations.engage() for _ in range(n)]
        self.hors = operations.engage()  # même opération, pas dans l'échantillon
        numeros = ", ".join(p.participant.numero for p in self.tires)
        self.controle = controles.designer(
            operations.a, _periode(), numeros, par=self.direction, motif="CSF"
        )
        self.controleur = membre(Role.CONTROLEUR, monde.structure("porteur", "a", 1))
        dans_un_mois = timezone.localdate() + datetime.timedelta(days=30)
        controles.ouvrir(self.controle, self.controleur, dans_un_mois, par=self.direction)

    def participation(self, parcours):
        return parcours.participations_fse.get(operation=self.operations.a)

    def urls(self, parcours):
        ppk = self.participation(parcours).pk
        pk = self.controle.pk
        return [
            reverse("fse:controle", args=[pk]),
            reverse("fse:controle_zip", args=[pk]),
            reverse("fse:controle_dossier", args=[pk, ppk]),
            reverse("fse:controle_dossier_zip", args=[pk, ppk]),
        ]


@pytest.fixture
def scene(monde, operations):
    return Scene(monde, operations)


def test_le_controleur_lit_l_echantillon_et_chaque_lecture_est_tracee(client, scene):
    client.force_login(scene.controleur)
    assert client.get(reverse("fse:index")).url == reverse("fse:controles")
    liste = client.get(reverse("fse:controles"))
    assert [c.pk for c in liste.context["controles"]] == [scene.controle.pk]
    for url in scene.urls(scene.tires[0]):
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        if reponse.streaming:  # le ZIP : lu jusqu'au bout, son fichier temporaire se ferme
            assert b"".join(reponse.streaming_content).startswith(b"PK")
    page = client.get(reverse("fse:controle", args=[scene.controle.pk]))
    assert not page.context["conduit"] and "form-ouvrir" not in page.content.decode()
    dossier = client.get(scene.urls(scene.tires[0])[2])
    assert scene.tires[0].participant.nom.upper() in dossier.content.decode().upper()
    traces = Trace.objects.filter(user=scene.controleur)
    assert traces.filter(type=TypeTrace.CONSULTATION).count() == 2
    assert traces.filter(type=TypeTrace.CONTROLE, detail__startswith="Téléchargement").count() == 2


def test_le_controleur_ne_voit_rien_d_autre(client, scene):
    client.force_login(scene.controleur)
    tire = scene.tires[0]
    # Hors échantillon, même opération : 404.
    for url in scene.urls(scene.hors)[2:]:
        assert client.get(url).status_code == 404, url
    # Les écrans ordinaires : ni liste, ni fiche, ni dossier, ni opération, ni suivi.
    assert client.get(reverse("participants:detail", args=[tire.participant_id])).status_code == 404
    assert client.get(reverse("participants:dossier", args=[tire.pk])).status_code == 404
    assert client.get(reverse("fse:operation", args=[scene.operations.a.pk])).status_code == 404
    assert client.get(reverse("fse:controle_creer", args=[scene.operations.a.pk])).status_code == (
        404
    )
    reponse = client.get(reverse("participants:index"))
    assert reponse.status_code in (200, 404)
    if reponse.status_code == 200:
        assert tire.participant.nom.upper() not in reponse.content.decode().upper()
    # Ni tâche, ni ouverture à un autre, ni administration.
    assert not scene.controleur.has_perm("accompagnement.view_parcours", tire)
    ouvrir = reverse("fse:controle_ouvrir", args=[scene.controle.pk])
    assert client.post(ouvrir, {"controleur": "x", "expire_le": "2030-01-01"}).status_code == 404
    assert client.get("/admin/").status_code != 200


def test_acces_expire_plus_rien(client, scene):
    AccesControle.objects.update(expire_le=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(scene.controleur)
    for url in scene.urls(scene.tires[0]):
        assert client.get(url).status_code == 404, url
    assert list(client.get(reverse("fse:controles")).context["controles"]) == []


def test_sans_role_controleur_actif_plus_rien(client, scene):
    scene.controleur.memberships.update(fin=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(scene.controleur)
    assert client.get(scene.urls(scene.tires[0])[0]).status_code == 404


@pytest.mark.parametrize(
    "qui", ["direction_plie2", "financeur", "referent_autre_structure", "controleur_non_ouvert"]
)
def test_hors_perimetre_404(client, monde, operations, scene, qui):
    users = {
        "direction_plie2": lambda: monde.user(Role.DIRECTION, "a", 2),
        "financeur": operations.financeur,
        "referent_autre_structure": lambda: monde.user(Role.REFERENT, "b"),
        "controleur_non_ouvert": lambda: membre(
            Role.CONTROLEUR, monde.structure("porteur", "b", 1)
        ),
    }
    client.force_login(users[qui]())
    for url in scene.urls(scene.tires[0]):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("fse:controle_creer", args=[operations.a.pk])).status_code == 404
    liste = client.get(reverse("fse:controles"))
    assert liste.status_code == 404 or scene.controle not in liste.context["controles"]


@pytest.mark.parametrize(("role", "structure"), [(Role.ANIMATEUR, "a"), (Role.REFERENT, "a")])
def test_le_pilotage_et_le_porteur_conduisent_le_controle(client, monde, scene, role, structure):
    client.force_login(monde.user(role, structure))
    page = client.get(reverse("fse:controle", args=[scene.controle.pk]))
    assert page.status_code == 200 and page.context["conduit"]


def test_ouverture_controlee_et_tracee(client, monde, scene):
    client.force_login(scene.direction)
    url = reverse("fse:controle_ouvrir", args=[scene.controle.pk])
    referent = monde.user(Role.REFERENT)
    reponse = client.post(url, {"controleur": referent.username, "expire_le": "2099-01-01"})
    assert "Aucun compte contrôleur de ce PLIE" in reponse.content.decode()
    autre = membre(Role.CONTROLEUR, monde.structure("porteur", "b", 1))
    hier = timezone.localdate() - datetime.timedelta(days=1)
    reponse = client.post(url, {"controleur": autre.username, "expire_le": f"{hier}"})
    assert "ou plus tard" in reponse.content.decode()
    demain = timezone.localdate() + datetime.timedelta(days=1)
    reponse = client.post(url, {"controleur": autre.username, "expire_le": f"{demain}"})
    assert reponse.status_code == 302
    assert AccesControle.objects.get(controleur=autre).expire_le == demain
    trace = Trace.objects.filter(type=TypeTrace.CONTROLE).latest("at")
    assert trace.user == scene.direction and autre.username in trace.detail


@pytest.mark.parametrize("qui", ["direction", "controleur"])
def test_requetes_constantes_de_la_page_du_controle(client, monde, operations, qui):
    comptes = []
    for n in (2, 5):
        s = Scene(monde, operations, n=n)
        client.force_login(s.direction if qui == "direction" else s.controleur)
        url = reverse("fse:controle", args=[s.controle.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(url)
        assert len(reponse.context["participations"]) == n
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1], comptes


def test_l_adhesion_d_un_controleur_a_une_date_de_fin(client, monde):
    """Administration du PLIE : sans date de fin, message et rien d'enregistré ; avec, posée."""
    client.force_login(monde.user(Role.ADMIN))
    compte = membre(Role.REFERENT, monde.structure("operateur"))
    url = reverse("administration:adhesion_creer", args=[monde.plie1.code, compte.pk])
    donnees = {
        "adhesion-structure": monde.structure("porteur").pk,
        "adhesion-role": Role.CONTROLEUR,
        "adhesion-debut": "2026-02-01",
        "adhesion-etp": "1",
    }
    reponse = client.post(url, donnees)
    assert "Une adhésion de contrôleur a une date de fin." in reponse.content.decode()
    assert not compte.memberships.filter(role=Role.CONTROLEUR).exists()
    reponse = client.post(url, {**donnees, "adhesion-fin": "2026-06-30"})
    assert reponse.status_code == 302
    assert compte.memberships.get(role=Role.CONTROLEUR).fin.isoformat() == "2026-06-30"


def test_pas_de_cle_d_api_pour_un_controleur():
    """L'API se lit par une clé ; aucune clé ne peut tenir le rôle contrôleur (docs/api.md)."""
    from parcours.core.cles import ROLES_CLE

    assert Role.CONTROLEUR not in ROLES_CLE


def test_retirer_l_acces_avant_sa_date(client, scene):
    ouvert = AccesControle.objects.get(controleur=scene.controleur)
    url = reverse("fse:controle_retirer", args=[scene.controle.pk, ouvert.pk])
    client.force_login(scene.controleur)
    assert client.post(url).status_code == 404  # le contrôleur ne retire rien
    client.force_login(scene.direction)
    assert client.post(url).status_code == 302
    assert "Accès de" in Trace.objects.filter(type=TypeTrace.CONTROLE).latest("at").detail
    client.force_login(scene.controleur)
    assert client.get(reverse("fse:controle", args=[scene.controle.pk])).status_code == 404
