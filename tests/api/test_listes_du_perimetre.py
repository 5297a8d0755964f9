"""Étapes, entretiens, contrats de tout le périmètre (`/api/v1/etapes/`, `…/entretiens/`,
`…/contrats/`) : chaque rôle (session) et chaque portée de clé y lit exactement ce que les listes
par parcours lui ouvrent (`voit_le_suivi`, `peut_voir_emploi` : rien d'un autre PLIE ni d'un
dossier qu'il ne suit pas), synchronisation par `updated_since`, requêtes constantes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from parcours import acces
from parcours.accompagnement.models import Entretien, Etape
from parcours.core.enums import DroitCle, Role
from parcours.emploi.models import Contrat
from tests.alertes.conftest import entretien, etape
from tests.api.conftest import ClientApi, nouvelle_cle
from tests.api.test_acces import IDS, PORTEES
from tests.factories import parcours_en

pytestmark = pytest.mark.django_db

LISTES = {
    "/api/v1/etapes/": (Etape, acces.voit_le_suivi),
    "/api/v1/entretiens/": (Entretien, acces.voit_le_suivi),
    "/api/v1/contrats/": (Contrat, acces.peut_voir_emploi),
}
JOUR = datetime.date(2026, 3, 2)


def _suivi(parcours, n=1, depuis=0):
    for i in range(depuis, depuis + n):
        jour = JOUR + datetime.timedelta(days=7 * i)
        etape(parcours, jour)
        entretien(parcours, jour)
        Contrat.objects.create(
            parcours=parcours,
            type="cdd",
            employeur=f"Employeur {i}",
            debut=jour,
            fin=jour + datetime.timedelta(days=5),
            created_by=parcours.referent,
        )


@pytest.fixture
def dossiers(monde):
    """En emploi (PLIE 1, structure A), en accompagnement (PLIE 1, structure B), en emploi
    (PLIE 2) : chacun une étape, un entretien, un contrat."""
    tous = [
        parcours_en(monde, "en_emploi"),
        parcours_en(monde, "en_accompagnement", structure="b"),
        parcours_en(monde, "en_emploi", plie=2),
    ]
    for parcours in tous:
        _suivi(parcours)
    return tous


def _attendu(user, modele, predicat):
    """Ce que les listes par parcours ouvrent : parcours visible, et son suivi (ou emploi)."""
    return {
        o.pk
        for o in modele.objects.select_related("parcours")
        if acces.peut_voir(user, o.parcours) and predicat(user, o.parcours)
    }


def _lus(api, url):
    reponse = api.get(url, taille=100)
    assert reponse.status_code == 200, reponse.content
    return {o["id"] for o in reponse.json()["results"]}


def _verifier(api, user):
    vus = {}
    for url, (modele, predicat) in LISTES.items():
        vus[url] = _lus(api, url)
        assert vus[url] == _attendu(user, modele, predicat), url
    return vus


SESSIONS = [(r, 1) for r in Role] + [(Role.ANIMATEUR, 2), (Role.REFERENT, 2)]


@pytest.mark.parametrize("role, plie", SESSIONS, ids=[f"{r}-{p}" for r, p in SESSIONS])
def test_chaque_role_lit_ce_que_les_listes_par_parcours_lui_ouvrent(
    monde, dossiers, client, role, plie
):
    user = monde.user(role, "a", plie)
    client.force_login(user)
    vus = _verifier(ClientApi(client=client), user)
    en_emploi_1, accompagne_1, en_emploi_2 = dossiers
    if role in (Role.ANIMATEUR, Role.DIRECTION, Role.ADMIN):
        # Le pilotage : tout son PLIE, rien de l'autre.
        attendus = {1: [en_emploi_1, accompagne_1], 2: [en_emploi_2]}[plie]
        assert {e.parcours for e in Etape.objects.filter(pk__in=vus["/api/v1/etapes/"])} == set(
            attendus
        )
    if role == Role.PRESCRIPTEUR:
        assert not any(vus.values())  # l'entrée et son issue, pas le suivi


@pytest.mark.parametrize("portee, attendu", PORTEES, ids=IDS)
def test_chaque_portee_de_cle(monde, dossiers, portee, attendu):
    role, structure, plie = portee
    cle, jeton = nouvelle_cle(monde, role=role, structure=structure, plie=plie)
    vus = _verifier(ClientApi(jeton), cle.compte)
    # Le CRE suit la personne en emploi de son PLIE : ses contrats, rien d'autre.
    en_emploi = dossiers[0] if plie == 1 else dossiers[2]
    contrats = set(Contrat.objects.filter(parcours=en_emploi).values_list("pk", flat=True))
    assert vus["/api/v1/contrats/"] == (contrats if role == Role.CRE else set())
    assert attendu[1] == (role == Role.CRE and plie == 1)  # la table de test_acces


def test_le_referent_en_interim_lit_aussi_le_portefeuille_confie(monde, dossiers, client):
    remplacant = monde.user(Role.REFERENT, "b", 1)
    client.force_login(remplacant)
    api = ClientApi(client=client)
    avant = _lus(api, "/api/v1/etapes/")
    for droit in ("view_parcours", "change_parcours"):
        assert assign_perm(f"accompagnement.{droit}", remplacant, dossiers[0])
    # L'attendu relit le compte : droits explicites lus avec le périmètre, une fois par requête.
    remplacant = type(remplacant).objects.get(pk=remplacant.pk)
    apres = _verifier(api, remplacant)["/api/v1/etapes/"]
    assert apres - avant == set(
        Etape.objects.filter(parcours=dossiers[0]).values_list("pk", flat=True)
    )


def test_sans_le_droit_de_lire_les_parcours_403(monde, dossiers):
    _, jeton = nouvelle_cle(monde, role=Role.CRE, droits=[DroitCle.OFFRES_LIRE])
    for url in LISTES:
        assert ClientApi(jeton).get(url).status_code == 403


def test_synchroniser_par_updated_since(monde, dossiers):
    _, jeton = nouvelle_cle(monde, role=Role.CRE)
    api = ClientApi(jeton)
    ancien = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    Contrat.objects.update(updated_at=ancien)
    change = Contrat.objects.filter(parcours=dossiers[0]).get()
    Contrat.objects.filter(pk=change.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    )
    reponse = api.get("/api/v1/contrats/", updated_since="2026-01-01").json()
    assert [c["id"] for c in reponse["results"]] == [change.pk]
    assert reponse["results"][0]["parcours"] == dossiers[0].pk
    assert api.get("/api/v1/contrats/", updated_since="2026-03-02").json()["count"] == 0


@pytest.mark.parametrize("url", list(LISTES))
def test_nombre_de_requetes_constant(monde, dossiers, client, url):
    client.force_login(monde.user(Role.ANIMATEUR))
    api = ClientApi(client=client)
    api.get(url)
    with CaptureQueriesContext(connection) as petit:
        assert api.get(url).json()["count"] == 2
    for parcours in dossiers[:2]:
        _suivi(parcours, 6, depuis=1)
    with CaptureQueriesContext(connection) as grand:
        assert api.get(url).json()["count"] == 14
    assert len(grand) == len(petit), [q["sql"] for q in grand.captured_queries]


def test_le_membre_de_commission_lit_les_dossiers_de_sa_seance(monde, dossiers, client):
    from tests.commissions.conftest import Commission

    commission = Commission(monde)
    inscrit = commission.inscrit(commission.session())
    inscrit.referent = commission.referent  # l'auteur des lignes (non enregistré : pas de référent)
    _suivi(inscrit)
    client.force_login(commission.membre)
    vus = _verifier(ClientApi(client=client), commission.membre)
    etapes = set(Etape.objects.filter(parcours=inscrit).values_list("pk", flat=True))
    assert vus["/api/v1/etapes/"] == etapes
    assert vus["/api/v1/contrats/"] == set(
        Contrat.objects.filter(parcours=inscrit).values_list("pk", flat=True)
    )
