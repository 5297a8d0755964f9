"""Les clés d'API : secret jamais gardé en clair, clé révoquée, expirée, inconnue ou illisible
refusée (401), droit manquant refusé (403), dernière utilisation notée, création contrôlée."""

import datetime

import pytest
from django.utils import timezone

from parcours.core.cles import CleInvalide, creer_cle, empreinte, revoquer_cle
from parcours.core.enums import DroitCle, Role
from parcours.core.models import CleApi, Membership
from tests.api.conftest import ClientApi, nouvelle_cle

URL = "/api/v1/prescriptions/"


def test_le_secret_n_est_garde_qu_en_empreinte(monde):
    cle, jeton = nouvelle_cle(monde)
    cle.refresh_from_db()
    assert jeton.startswith(f"plie_{cle.prefixe}_")
    assert cle.empreinte == empreinte(jeton)
    valeurs = [str(v) for v in CleApi.objects.filter(pk=cle.pk).values().get().values()]
    assert not any(jeton in v or jeton.split("_")[-1] in v for v in valeurs)
    # Le compte technique tient le rôle dans la structure, sans mot de passe utilisable.
    assert not cle.compte.has_usable_password()
    adhesion = Membership.objects.get(user=cle.compte)
    assert (adhesion.structure, adhesion.role, adhesion.fin) == (
        cle.structure,
        Role.PRESCRIPTEUR,
        cle.expire_le,
    )


def test_une_cle_valide_ouvre_l_api_et_note_sa_derniere_utilisation(monde):
    cle, jeton = nouvelle_cle(monde)
    assert cle.derniere_utilisation is None
    reponse = ClientApi(jeton).get(URL)
    assert reponse.status_code == 200, reponse.content
    cle.refresh_from_db()
    assert cle.derniere_utilisation is not None


@pytest.mark.parametrize(
    "entete, message",
    [
        (None, "Informations d'authentification non fournies."),
        ("Bearer plie_abcdef12_faux", "Clé d'API inconnue."),
        ("Bearer nimportequoi", "Clé d'API illisible"),
        ("Token plie_x_y", "En-tête Authorization illisible"),
    ],
)
def test_sans_cle_ou_cle_inconnue_401(monde, client, entete, message):
    nouvelle_cle(monde)
    entetes = {"Authorization": entete} if entete else {}
    reponse = client.get(URL, headers=entetes)
    assert reponse.status_code in (401, 403)
    assert message in reponse.json()["detail"]
    if entete:
        assert reponse.status_code == 401
        assert reponse["WWW-Authenticate"].startswith("Bearer")


def test_une_cle_dont_on_change_un_caractere_est_inconnue(monde):
    _, jeton = nouvelle_cle(monde)
    faux = jeton[:-1] + ("A" if jeton[-1] != "A" else "B")
    reponse = ClientApi(faux).get(URL)
    assert reponse.status_code == 401
    assert reponse.json() == {"detail": "Clé d'API inconnue."}


def test_une_cle_revoquee_est_refusee_tout_de_suite(monde):
    cle, jeton = nouvelle_cle(monde)
    assert ClientApi(jeton).get(URL).status_code == 200
    revoquer_cle(cle, par=monde.user(Role.ADMIN))
    reponse = ClientApi(jeton).get(URL)
    assert reponse.status_code == 401
    assert reponse.json()["detail"] == "Clé d'API révoquée par l'administrateur du PLIE."
    cle.refresh_from_db()
    assert cle.revoquee_par == monde.user(Role.ADMIN)
    assert not cle.compte.is_active
    # Révoquer deux fois ne change rien.
    revoquee_le = cle.revoquee_le
    revoquer_cle(cle, par=monde.user(Role.ADMIN))
    cle.refresh_from_db()
    assert cle.revoquee_le == revoquee_le


def test_une_cle_expiree_est_refusee(monde):
    cle, jeton = nouvelle_cle(monde)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    CleApi.objects.filter(pk=cle.pk).update(expire_le=hier)
    reponse = ClientApi(jeton).get(URL)
    assert reponse.status_code == 401
    assert reponse.json()["detail"] == f"Clé d'API expirée le {hier:%d/%m/%Y}."


@pytest.mark.parametrize(
    "url, droit",
    [
        ("/api/v1/prescriptions/", DroitCle.PRESCRIPTIONS_LIRE),
        ("/api/v1/parcours/", DroitCle.PARCOURS_LIRE),
        ("/api/v1/participants/", DroitCle.PARCOURS_LIRE),
        ("/api/v1/besoins/", DroitCle.BESOINS_LIRE),
        ("/api/v1/offres/", DroitCle.OFFRES_LIRE),
    ],
)
def test_une_cle_sans_le_droit_recoit_403(monde, url, droit):
    autres = [d for d in DroitCle.values if d != droit]
    _, jeton = nouvelle_cle(monde, droits=autres)
    reponse = ClientApi(jeton).get(url)
    assert reponse.status_code == 403
    assert DroitCle(droit).label in reponse.json()["detail"]
    _, jeton = nouvelle_cle(monde, droits=[droit])
    assert ClientApi(jeton).get(url).status_code == 200


@pytest.mark.parametrize(
    "champ, surcharge",
    [
        ("role", {"role": Role.ANIMATEUR}),
        ("role", {"role": Role.ADMIN}),
        ("droits", {"droits": []}),
        ("droits", {"droits": ["tout"]}),
        ("nom", {"nom": "  "}),
        ("expire_le", {"expire_le": datetime.date(2020, 1, 1)}),
        ("expire_le", {"expire_le": timezone.localdate() + datetime.timedelta(days=800)}),
    ],
)
def test_creation_refusee_nomme_le_champ(monde, champ, surcharge):
    donnees = {
        "par": monde.user(Role.ADMIN),
        "plie": monde.plie1,
        "structure": monde.structure("prescripteur"),
        "role": Role.PRESCRIPTEUR,
        "droits": [DroitCle.PRESCRIPTIONS_LIRE],
        "nom": "Outil",
        "expire_le": timezone.localdate() + datetime.timedelta(days=30),
        **surcharge,
    }
    with pytest.raises(CleInvalide) as exc:
        creer_cle(**donnees)
    assert exc.value.champ == champ
    assert not CleApi.objects.exists()


@pytest.mark.parametrize("qui", ["admin d'un autre PLIE", "animateur du PLIE"])
def test_seul_l_admin_du_plie_cree_une_cle_pour_ses_structures(monde, qui):
    par = monde.user(Role.ADMIN, plie=2) if qui.startswith("admin") else monde.user(Role.ANIMATEUR)
    with pytest.raises(CleInvalide):
        creer_cle(
            par=par,
            plie=monde.plie1,
            structure=monde.structure("prescripteur"),
            role=Role.PRESCRIPTEUR,
            droits=[DroitCle.PRESCRIPTIONS_LIRE],
            nom="Outil",
            expire_le=timezone.localdate() + datetime.timedelta(days=30),
        )
    with pytest.raises(CleInvalide):  # une structure d'un autre PLIE
        creer_cle(
            par=monde.user(Role.ADMIN),
            plie=monde.plie1,
            structure=monde.structure("prescripteur", plie=2),
            role=Role.PRESCRIPTEUR,
            droits=[DroitCle.PRESCRIPTIONS_LIRE],
            nom="Outil",
            expire_le=timezone.localdate() + datetime.timedelta(days=30),
        )
    assert not CleApi.objects.exists()


def test_le_compte_technique_ne_peut_pas_se_connecter(monde, client):
    cle, jeton = nouvelle_cle(monde)
    for mot_de_passe in (jeton, "", cle.prefixe):
        reponse = client.post(
            "/connexion/", {"username": cle.compte.username, "password": mot_de_passe}
        )
        assert reponse.status_code == 200
        assert "_auth_user_id" not in client.session
