"""Clauses par l'API : les heures mensuelles (le service d'`importer_heures` : mêmes contrôles,
tout ou rien par requête, idempotence, journal), les besoins et les offres diffusées, par la
politique d'accès."""

import datetime
from decimal import Decimal

import pytest

from parcours.clauses.models import HeuresRealisees
from parcours.core.enums import Role
from parcours.core.models import EcritureApi
from tests.api.conftest import ClientApi, nouvelle_cle
from tests.clauses.chantier_heures import Chantier
from tests.entreprises.conftest import une_offre

URL = "/api/v1/heures/"


@pytest.fixture
def chantier(monde):
    return Chantier(monde)


def _ligne(c, **kwargs):
    ligne = {
        "marche": c.marche.numero,
        "siret": c.attributaire.siret,
        "personne": c.lina.numero,
        "mois": "2025-04",
        "heures": "151,67",
    }
    ligne.update(kwargs)
    return ligne


def test_envoyer_les_heures_d_un_mois(monde, chantier):
    c = chantier
    cle, jeton = nouvelle_cle(monde, role=Role.FACILITATEUR)
    lignes = [
        _ligne(c),
        _ligne(c, personne=c.sam.numero, mois="2025-05", heures=35, siret=c.sous_traitant.siret),
    ]
    reponse = ClientApi(jeton).post(URL, {"lignes": lignes}, idempotence="avril-2025")
    assert reponse.status_code == 201, reponse.content
    assert reponse.json() == {
        "enregistre": True,
        "lignes": 2,
        "total_heures": "186.67",
        "creees": 2,
        "remplacees": 0,
    }
    assert sorted(HeuresRealisees.objects.values_list("heures", flat=True)) == [
        Decimal("35.00"),
        Decimal("151.67"),
    ]
    assert HeuresRealisees.objects.filter(created_by=cle.compte).count() == 2
    ecriture = EcritureApi.objects.get()
    assert (ecriture.cle, ecriture.action) == (cle, "heures")
    # Rejouée : rien de plus.
    rejeu = ClientApi(jeton).post(URL, {"lignes": lignes}, idempotence="avril-2025")
    assert rejeu["Idempotent-Replayed"] == "true"
    assert HeuresRealisees.objects.count() == 2 and EcritureApi.objects.count() == 1


def test_tout_ou_rien_chaque_ligne_fautive_nommee(monde, chantier):
    c = chantier
    _, jeton = nouvelle_cle(monde, role=Role.FACILITATEUR)
    lignes = [
        _ligne(c),
        _ligne(c, mois="2025-13"),
        _ligne(c, personne=c.noe.numero),  # candidat non embauché
        _ligne(c, heures="999"),
    ]
    reponse = ClientApi(jeton).post(URL, {"lignes": lignes})
    assert reponse.status_code == 400
    champs = reponse.json()["champs"]
    assert sorted(champs) == ["lignes.1", "lignes.2", "lignes.3"]
    assert "mois" in champs["lignes.1"][0]
    assert "heures" in champs["lignes.3"][0]
    assert not HeuresRealisees.objects.exists() and not EcritureApi.objects.exists()


def test_dry_run_ne_rien_enregistrer(monde, chantier):
    _, jeton = nouvelle_cle(monde, role=Role.FACILITATEUR)
    reponse = ClientApi(jeton).post(URL, {"lignes": [_ligne(chantier)], "dry_run": True})
    assert reponse.status_code == 200
    assert reponse.json()["enregistre"] is False
    assert not HeuresRealisees.objects.exists() and not EcritureApi.objects.exists()


@pytest.mark.parametrize(
    "corps, champ",
    [
        ({"lignes": []}, "lignes"),
        ({"lignes": "x"}, "lignes"),
        ({"lignes": [{"marche": "M"}]}, "lignes.0.siret"),
        ({"lignes": [{"inconnu": 1}]}, "lignes.0.inconnu"),
        ({"lignes": [], "dry_run": "oui?"}, "dry_run"),
        ({"fichier": "avril.csv"}, "fichier"),
    ],
)
def test_corps_invalide_400(monde, chantier, corps, champ):
    _, jeton = nouvelle_cle(monde, role=Role.FACILITATEUR)
    reponse = ClientApi(jeton).post(URL, corps)
    assert reponse.status_code == 400
    assert champ in reponse.json()["champs"]


@pytest.mark.parametrize(
    "role, plie, statut",
    [
        (Role.FACILITATEUR, 2, 400),  # son PLIE n'a pas ce marché : refusé par les contrôles
        (Role.PRESCRIPTEUR, 1, 404),  # hors du périmètre des clauses
        (Role.CRE, 1, 404),
    ],
)
def test_heures_hors_perimetre(monde, chantier, role, plie, statut):
    _, jeton = nouvelle_cle(monde, role=role, plie=plie)
    reponse = ClientApi(jeton).post(URL, {"lignes": [_ligne(chantier)]})
    assert reponse.status_code == statut
    assert not HeuresRealisees.objects.exists()


def test_heures_dans_le_plie_d_un_autre_nom_404(monde, chantier):
    _, jeton = nouvelle_cle(monde, role=Role.FACILITATEUR)
    corps = {"plie": monde.plie2.code, "lignes": [_ligne(chantier)]}
    assert ClientApi(jeton).post(URL, corps).status_code == 404


@pytest.mark.parametrize(
    "role, plie, voit",
    [
        (Role.FACILITATEUR, 1, "plie1"),
        (Role.FACILITATEUR, 2, "plie2"),
        (Role.PRESCRIPTEUR, 1, "plie1"),  # les opportunités ouvertes de son PLIE
        (Role.PRESCRIPTEUR, 2, "plie2"),
        (Role.CRE, 1, "aucun"),
        (Role.DONNEUR_ORDRE, 1, "aucun"),
    ],
)
def test_besoins_par_portee(monde, chantier, role, plie, voit):
    from parcours.clauses.models import Besoin
    from tests.clauses.factories import BesoinFactory

    besoin2 = BesoinFactory(marche=chantier.marche_plie2)
    plie1 = set(Besoin.objects.filter(marche__plie=monde.plie1).values_list("pk", flat=True))
    attendu = {"plie1": plie1, "plie2": {besoin2.pk}, "aucun": set()}[voit]
    _, jeton = nouvelle_cle(monde, role=role, plie=plie)
    ids = {b["id"] for b in ClientApi(jeton).get("/api/v1/besoins/").json()["results"]}
    assert len(plie1) >= 2
    assert ids == attendu


@pytest.mark.parametrize(
    "role, plie, voit", [(Role.CRE, 1, True), (Role.CRE, 2, False), (Role.PRESCRIPTEUR, 1, False)]
)
def test_offres_diffusees_par_portee(monde, role, plie, voit):
    diffusee = une_offre(monde, "diffusee")
    une_offre(monde, "qualifiee", entreprise=diffusee.entreprise)
    _, jeton = nouvelle_cle(monde, role=role, plie=plie)
    ids = [o["id"] for o in ClientApi(jeton).get("/api/v1/offres/").json()["results"]]
    assert ids == ([diffusee.pk] if voit else [])


def test_besoins_synchronises_par_updated_since(monde, chantier):
    from parcours.clauses.models import Besoin

    _, jeton = nouvelle_cle(monde, role=Role.FACILITATEUR)
    api = ClientApi(jeton)
    ancien = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    Besoin.objects.update(updated_at=ancien)
    assert api.get("/api/v1/besoins/", updated_since="2025-01-01").json()["count"] == 0
    chantier.besoin.poste = "Coffreur"
    chantier.besoin.save()
    ids = [
        b["id"] for b in api.get("/api/v1/besoins/", updated_since="2025-01-01").json()["results"]
    ]
    assert ids == [chantier.besoin.pk]


def _compter(api, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as requetes:
        assert api.get(url).status_code == 200
    return len(requetes)


def test_besoins_et_offres_en_requetes_constantes(monde, chantier):
    from tests.clauses.factories import BesoinFactory

    _, jeton_f = nouvelle_cle(monde, role=Role.FACILITATEUR)
    _, jeton_c = nouvelle_cle(monde, role=Role.CRE)
    facilitateur, cre = ClientApi(jeton_f), ClientApi(jeton_c)
    diffusee = une_offre(monde, "diffusee")
    facilitateur.get("/api/v1/besoins/")
    cre.get("/api/v1/offres/")  # dernières utilisations notées
    petit = (_compter(facilitateur, "/api/v1/besoins/"), _compter(cre, "/api/v1/offres/"))
    for _ in range(6):
        BesoinFactory(marche=chantier.marche)
        une_offre(monde, "diffusee", entreprise=diffusee.entreprise)
    grand = (_compter(facilitateur, "/api/v1/besoins/"), _compter(cre, "/api/v1/offres/"))
    assert grand == petit
    assert cre.get("/api/v1/offres/").json()["count"] == 7
