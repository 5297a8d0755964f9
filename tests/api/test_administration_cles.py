"""Les clés d'API dans « Administration du PLIE » : créer (jeton montré une fois, jamais
gardé), lister (dernière utilisation), révoquer ; 404 pour un autre PLIE et pour qui n'est pas
administrateur ; les comptes techniques ne se mêlent pas aux comptes des personnes."""

import datetime

import pytest
from django.utils import timezone

from parcours.core.enums import DroitCle, Role
from parcours.core.models import CleApi
from parcours.tracabilite.models import Trace
from tests.api.conftest import ClientApi, nouvelle_cle


def u(nom, plie, *args):
    from django.urls import reverse

    return reverse(f"administration:{nom}", args=[plie.code, *args])


def _formulaire(monde, **surcharges):
    donnees = {
        "nom": "France Travail",
        "structure": monde.structure("prescripteur").pk,
        "role": Role.PRESCRIPTEUR,
        "droits": [DroitCle.PRESCRIPTIONS_LIRE, DroitCle.PRESCRIPTIONS_ECRIRE],
        "expire_le": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
    }
    donnees.update(surcharges)
    return donnees


def test_creer_une_cle_montre_le_jeton_une_seule_fois(monde, client):
    client.force_login(monde.user(Role.ADMIN))
    reponse = client.post(u("cle_creer", monde.plie1), _formulaire(monde))
    assert reponse.status_code == 200
    assert reponse["Cache-Control"] == "no-store"
    cle = CleApi.objects.get()
    jeton = reponse.context["jeton"]
    assert jeton in reponse.content.decode()
    assert (cle.nom, cle.structure, cle.role) == (
        "France Travail",
        monde.structure("prescripteur"),
        Role.PRESCRIPTEUR,
    )
    # Le jeton ouvre l'API ; la liste ne le montre plus, seulement le préfixe.
    assert ClientApi(jeton).get("/api/v1/prescriptions/").status_code == 200
    liste = client.get(u("cles", monde.plie1)).content.decode()
    assert jeton not in liste and f"plie_{cle.prefixe}_…" in liste
    assert "jamais" not in liste  # dernière utilisation affichée
    assert cle.derniere_utilisation is None
    cle.refresh_from_db()
    assert f"{timezone.localtime(cle.derniere_utilisation):%d/%m/%Y %H:%M}" in liste
    assert Trace.objects.filter(type="administration", objet_type="cle_api").count() == 1


@pytest.mark.parametrize(
    "surcharge, champ",
    [
        ({"nom": ""}, "nom"),
        ({"droits": []}, "droits"),
        ({"role": Role.ANIMATEUR}, "role"),
        ({"expire_le": "2020-01-01"}, "expire_le"),
        ({"expire_le": "31/02/2027"}, "expire_le"),
    ],
)
def test_mauvaise_saisie_reaffiche_le_formulaire(monde, client, surcharge, champ):
    client.force_login(monde.user(Role.ADMIN))
    reponse = client.post(u("cle_creer", monde.plie1), _formulaire(monde, **surcharge))
    assert reponse.status_code == 200
    assert champ in reponse.context["form"].errors
    assert reponse.context["form"].data["nom"] == _formulaire(monde, **surcharge)["nom"]
    assert not CleApi.objects.exists()


def test_une_structure_d_un_autre_plie_n_est_pas_proposee(monde, client):
    client.force_login(monde.user(Role.ADMIN))
    autre = monde.structure("prescripteur", plie=2)
    reponse = client.post(u("cle_creer", monde.plie1), _formulaire(monde, structure=autre.pk))
    assert "structure" in reponse.context["form"].errors
    assert not CleApi.objects.exists()


def test_revoquer(monde, client):
    cle, jeton = nouvelle_cle(monde)
    client.force_login(monde.user(Role.ADMIN))
    reponse = client.post(u("cle_revoquer", monde.plie1, cle.pk))
    assert reponse.status_code == 302
    cle.refresh_from_db()
    assert cle.revoquee_le is not None
    assert ClientApi(jeton).get("/api/v1/prescriptions/").status_code == 401
    assert "Révoquée le" in client.get(u("cles", monde.plie1)).content.decode()


@pytest.mark.parametrize(
    "qui", ["admin de l'autre PLIE", "animateur du PLIE", "prescripteur de la structure"]
)
def test_404_hors_de_l_administration_du_plie(monde, client, qui):
    cle, _ = nouvelle_cle(monde)
    user = {
        "admin de l'autre PLIE": monde.user(Role.ADMIN, plie=2),
        "animateur du PLIE": monde.user(Role.ANIMATEUR),
        "prescripteur de la structure": monde.user(Role.PRESCRIPTEUR),
    }[qui]
    client.force_login(user)
    assert client.get(u("cles", monde.plie1)).status_code == 404
    assert client.get(u("cle_creer", monde.plie1)).status_code == 404
    assert client.post(u("cle_creer", monde.plie1), _formulaire(monde)).status_code == 404
    assert client.post(u("cle_revoquer", monde.plie1, cle.pk)).status_code == 404
    cle.refresh_from_db()
    assert cle.revoquee_le is None and CleApi.objects.count() == 1


def test_la_cle_d_un_autre_plie_404_meme_par_son_adresse(monde, client):
    cle_voisine, _ = nouvelle_cle(monde, plie=2)
    client.force_login(monde.user(Role.ADMIN))
    assert client.post(u("cle_revoquer", monde.plie1, cle_voisine.pk)).status_code == 404
    assert "Outil" not in client.get(u("cles", monde.plie1)).content.decode()
    cle_voisine.refresh_from_db()
    assert cle_voisine.revoquee_le is None


def test_les_comptes_techniques_ne_sont_pas_dans_les_comptes(monde, client):
    cle, _ = nouvelle_cle(monde)
    client.force_login(monde.user(Role.ADMIN))
    comptes = client.get(u("comptes", monde.plie1)).content.decode()
    assert cle.compte.username not in comptes
    assert client.get(u("compte", monde.plie1, cle.compte.pk)).status_code == 404


def test_liste_en_requetes_constantes(monde, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(monde.user(Role.ADMIN))
    nouvelle_cle(monde)
    client.get(u("cles", monde.plie1))
    with CaptureQueriesContext(connection) as petit:
        client.get(u("cles", monde.plie1))
    for _ in range(5):
        nouvelle_cle(monde, structure="b")
    with CaptureQueriesContext(connection) as grand:
        assert client.get(u("cles", monde.plie1)).status_code == 200
    assert len(grand) == len(petit)


def test_la_fiche_d_une_cle_montre_ses_ecritures(monde, client):
    from tests.factories import parcours_en

    parcours = parcours_en(monde, "en_emploi")
    cle, jeton = nouvelle_cle(monde, role=Role.CRE)
    contrat = {"type": "cdd", "employeur": "Boulangerie Martin", "debut": "2026-01-05"}
    reponse = ClientApi(jeton).post(
        f"/api/v1/parcours/{parcours.pk}/contrats/", contrat, idempotence="c-42"
    )
    assert reponse.status_code == 201
    client.force_login(monde.user(Role.ADMIN))
    page = client.get(u("cle", monde.plie1, cle.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"contrat n° {reponse.json()['id']}" in html and "c-42" in html
    # Une clé d'un autre PLIE, un administrateur d'un autre PLIE : 404.
    voisine, _ = nouvelle_cle(monde, plie=2)
    assert client.get(u("cle", monde.plie1, voisine.pk)).status_code == 404
    client.force_login(monde.user(Role.ADMIN, plie=2))
    assert client.get(u("cle", monde.plie1, cle.pk)).status_code == 404
