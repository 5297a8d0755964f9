"""Chaque point d'accès × chaque rôle et portée de clé : la politique d'accès des écrans, 404
hors du périmètre (autre structure, autre PLIE), listes limitées ; et la session du navigateur
soumise aux mêmes règles."""

import pytest

from parcours.core.enums import Role
from tests.api.conftest import ClientApi, nouvelle_cle
from tests.factories import parcours_en

# (rôle, structure, PLIE) → ce que la clé voit du parcours en emploi prescrit par la structure A
# du PLIE 1 : (fiche, suivi) — le prescripteur voit l'entrée et son issue, pas le suivi ; le CRE
# du PLIE suit les personnes en emploi ; ailleurs : rien.
PORTEES = [
    ((Role.PRESCRIPTEUR, "a", 1), (True, False)),
    ((Role.PRESCRIPTEUR, "b", 1), (False, False)),
    ((Role.PRESCRIPTEUR, "a", 2), (False, False)),
    ((Role.CRE, "a", 1), (True, True)),
    ((Role.CRE, "a", 2), (False, False)),
    ((Role.FACILITATEUR, "a", 1), (False, False)),
    ((Role.DONNEUR_ORDRE, "a", 1), (False, False)),
]
IDS = [f"{r}-{s}{p}" for (r, s, p), _ in PORTEES]


@pytest.fixture
def dossier(monde):
    return parcours_en(monde, "en_emploi")


def _adresses(parcours):
    fiche = {
        f"/api/v1/prescriptions/{parcours.pk}/",
        f"/api/v1/parcours/{parcours.pk}/",
        f"/api/v1/participants/{parcours.participant_id}/",
    }
    suivi = {
        f"/api/v1/parcours/{parcours.pk}/etapes/",
        f"/api/v1/parcours/{parcours.pk}/entretiens/",
        f"/api/v1/parcours/{parcours.pk}/contrats/",
    }
    return fiche, suivi


@pytest.mark.parametrize("portee, attendu", PORTEES, ids=IDS)
def test_chaque_point_d_acces_par_portee_de_cle(monde, dossier, portee, attendu):
    role, structure, plie = portee
    _, jeton = nouvelle_cle(monde, role=role, structure=structure, plie=plie)
    api = ClientApi(jeton)
    voit_fiche, voit_suivi = attendu
    fiche, suivi = _adresses(dossier)
    for url in sorted(fiche):
        assert api.get(url).status_code == (200 if voit_fiche else 404), url
    for url in sorted(suivi):
        assert api.get(url).status_code == (200 if voit_suivi else 404), url
    for url in ("/api/v1/prescriptions/", "/api/v1/parcours/"):
        ids = [p["id"] for p in api.get(url).json()["results"]]
        assert ids == ([dossier.pk] if voit_fiche else []), url
    personnes = [p["id"] for p in api.get("/api/v1/participants/").json()["results"]]
    assert personnes == ([dossier.participant_id] if voit_fiche else [])


@pytest.mark.parametrize("portee, attendu", PORTEES, ids=IDS)
def test_ecrire_un_contrat_hors_du_perimetre_404(monde, dossier, portee, attendu):
    role, structure, plie = portee
    _, jeton = nouvelle_cle(monde, role=role, structure=structure, plie=plie)
    contrat = {"type": "cdd", "employeur": "Boulangerie Martin", "debut": "2026-01-05"}
    reponse = ClientApi(jeton).post(f"/api/v1/parcours/{dossier.pk}/contrats/", contrat)
    voit_suivi = attendu[1]
    assert reponse.status_code == (201 if voit_suivi else 404), reponse.content


@pytest.mark.parametrize(
    "role, structure, plie, voit",
    [
        (Role.PRESCRIPTEUR, "a", 1, True),
        (Role.PRESCRIPTEUR, "b", 1, False),
        (Role.REFERENT, "a", 1, True),
        (Role.REFERENT, "b", 1, False),
        (Role.ANIMATEUR, "a", 1, True),
        (Role.ANIMATEUR, "a", 2, False),
        (Role.FACILITATEUR, "a", 1, False),
    ],
)
def test_la_session_du_navigateur_suit_la_meme_politique(
    monde, dossier, client, role, structure, plie, voit
):
    client.force_login(monde.user(role, structure, plie))
    api = ClientApi(client=client)
    assert api.get(f"/api/v1/parcours/{dossier.pk}/").status_code == (200 if voit else 404)
    ids = [p["id"] for p in api.get("/api/v1/parcours/").json()["results"]]
    assert ids == ([dossier.pk] if voit else [])


def test_sans_authentification_rien(dossier, client):
    for url in ("/api/v1/parcours/", f"/api/v1/parcours/{dossier.pk}/"):
        reponse = client.get(url)
        assert reponse.status_code == 401
        assert reponse.json() == {"detail": "Informations d'authentification non fournies."}
    # Le schéma et la documentation refusent de même : 401, corps JSON en français.
    for url in ("/api/schema/", "/api/docs/", "/api/docs/?script="):
        reponse = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
        assert reponse.status_code == 401
        assert reponse["Content-Type"] == "application/json"
        assert reponse["WWW-Authenticate"] == 'Bearer realm="api"'
        assert reponse.json() == {"detail": "Informations d'authentification non fournies."}


def test_la_session_ecrit_avec_le_jeton_csrf_seulement(monde, dossier):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.user(Role.REFERENT))
    contrat = {"type": "cdd", "employeur": "Boulangerie Martin", "debut": "2026-01-05"}
    reponse = ClientApi(client=client).post(f"/api/v1/parcours/{dossier.pk}/contrats/", contrat)
    assert reponse.status_code == 403
    assert "CSRF" in reponse.json()["detail"]


def test_prochaines_dates_cachees_au_prescripteur(monde, dossier):
    _, jeton = nouvelle_cle(monde, role=Role.PRESCRIPTEUR)
    assert (
        ClientApi(jeton).get(f"/api/v1/parcours/{dossier.pk}/").json()["prochaines_dates"] is None
    )
    _, jeton = nouvelle_cle(monde, role=Role.CRE)
    corps = ClientApi(jeton).get(f"/api/v1/parcours/{dossier.pk}/").json()
    assert set(corps["prochaines_dates"]) == {"entretien", "fin_etape", "fin_periode_essai"}
    assert corps["referent"]["nom"] == monde.user(Role.REFERENT).get_full_name()


def test_un_refus_par_cle_est_trace_au_journal(monde, dossier):
    from parcours.tracabilite.models import Trace

    cle, jeton = nouvelle_cle(monde, role=Role.PRESCRIPTEUR, structure="b")
    assert ClientApi(jeton).get(f"/api/v1/parcours/{dossier.pk}/").status_code == 404
    trace = Trace.objects.get(type="refus")
    assert (trace.user, trace.objet_type, trace.objet_id) == (
        cle.compte,
        "api:parcours",
        str(dossier.pk),
    )
    assert trace.detail == f"404 GET /api/v1/parcours/{dossier.pk}/"


@pytest.mark.parametrize(
    "role, plie, statut",
    [
        (Role.CRE, 1, 404),
        (Role.FACILITATEUR, 1, 404),
        (Role.DONNEUR_ORDRE, 1, 404),
        (Role.PRESCRIPTEUR, 2, 404),  # une clé du PLIE voisin, qui nomme le PLIE 1
    ],
)
def test_prescrire_hors_du_role_ou_du_plie_404(monde, role, plie, statut):
    from parcours.accompagnement.models import Parcours
    from tests.api.test_prescriptions import ENVOI

    _, jeton = nouvelle_cle(monde, role=role, plie=plie)
    reponse = ClientApi(jeton).post("/api/v1/prescriptions/", {**ENVOI, "plie": monde.plie1.code})
    assert reponse.status_code == statut
    assert not Parcours.objects.exists()
