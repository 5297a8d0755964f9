"""Les listes de l'API : pagination bornée (400 nommant `taille` ou `page`), paramètre inconnu
refusé, synchronisation par `updated_since`, nombre de requêtes constant (deux tailles de
données), limite de débit par clé (429), schéma OpenAPI valide, documentation sans script
extérieur."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename  # noqa: F401 — module présent

from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from tests.api.conftest import ClientApi, nouvelle_cle
from tests.factories import ParcoursFactory, PrescriptionFactory

LISTES = [
    "/api/v1/prescriptions/",
    "/api/v1/parcours/",
    "/api/v1/participants/",
    "/api/v1/besoins/",
    "/api/v1/offres/",
    "/api/v1/etapes/",
    "/api/v1/entretiens/",
    "/api/v1/contrats/",
]


def _prescrits(monde, n, structure="a"):
    for _ in range(n):
        parcours = ParcoursFactory(
            plie=monde.plie1,
            territoire=monde.territoire1,
            structure_prescriptrice=monde.structure("prescripteur", structure),
        )
        PrescriptionFactory(parcours=parcours)


@pytest.fixture
def api(monde):
    _, jeton = nouvelle_cle(monde)
    return ClientApi(jeton)


@pytest.mark.parametrize("url", LISTES)
@pytest.mark.parametrize(
    "params, champ",
    [
        ({"taille": "101"}, "taille"),
        ({"taille": "0"}, "taille"),
        ({"taille": "dix"}, "taille"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "²"}, "page"),
        ({"page": "99"}, "page"),
        ({"updated_since": "hier"}, "updated_since"),
        ({"updated_since": "2026-13-01"}, "updated_since"),
        ({"ordre": "nom"}, "ordre"),
        ({"apres_id": "3"}, "apres_id"),
        ({"updated_since": "2026-01-01", "apres_id": "trois"}, "apres_id"),
    ],
)
def test_parametres_invalides_400_nommant_le_parametre(api, url, params, champ):
    reponse = api.get(url, **params)
    assert reponse.status_code == 400, reponse.content
    assert list(reponse.json()["champs"]) == [champ]


def test_pages_et_taille(monde, api):
    _prescrits(monde, 5)
    premiere = api.get("/api/v1/prescriptions/", taille="2").json()
    assert (premiere["count"], len(premiere["results"])) == (5, 2)
    assert "page=2" in premiere["next"]
    derniere = api.get("/api/v1/prescriptions/", taille="2", page="3").json()
    assert len(derniere["results"]) == 1 and derniere["next"] is None
    vus = [
        p["id"]
        for page in (1, 2, 3)
        for p in api.get("/api/v1/prescriptions/", taille="2", page=str(page)).json()["results"]
    ]
    assert sorted(vus) == sorted(Parcours.objects.values_list("pk", flat=True))


def test_synchroniser_par_updated_since(monde, api):
    _prescrits(monde, 3)
    ancien = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    Parcours.objects.update(updated_at=ancien)
    change = Parcours.objects.order_by("pk").last()
    Parcours.objects.filter(pk=change.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    )
    for valeur in ("2026-01-01", "2026-01-01T00:00:00+01:00", "2026-03-01T13:00:00+01:00"):
        ids = [
            p["id"] for p in api.get("/api/v1/parcours/", updated_since=valeur).json()["results"]
        ]
        assert ids == [change.pk], valeur
    assert (
        api.get("/api/v1/parcours/", updated_since="2026-03-01T13:00:01+01:00").json()["count"] == 0
    )
    # Trié par date de modification croissante : on reprend là où l'on s'est arrêté.
    dates = [p["updated_at"] for p in api.get("/api/v1/parcours/").json()["results"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    "url", ["/api/v1/prescriptions/", "/api/v1/parcours/", "/api/v1/participants/"]
)
def test_nombre_de_requetes_constant(monde, url):
    _, jeton = nouvelle_cle(monde)
    api = ClientApi(jeton)
    _prescrits(monde, 2)
    api.get(url)  # la dernière utilisation de la clé est notée une fois par minute
    with CaptureQueriesContext(connection) as petit:
        assert api.get(url).json()["count"] == 2
    _prescrits(monde, 12)
    with CaptureQueriesContext(connection) as grand:
        assert api.get(url).json()["count"] == 14
    assert len(grand) == len(petit), [q["sql"] for q in grand.captured_queries]


def test_nombre_de_requetes_constant_par_session(monde, client):
    _prescrits(monde, 2)
    client.force_login(monde.user(Role.PRESCRIPTEUR))
    api = ClientApi(client=client)
    with CaptureQueriesContext(connection) as petit:
        api.get("/api/v1/parcours/")
    _prescrits(monde, 12)
    with CaptureQueriesContext(connection) as grand:
        assert api.get("/api/v1/parcours/").json()["count"] == 14
    assert len(grand) == len(petit)


def test_limite_de_debit_par_cle(monde, settings):
    settings.PLIE_API_DEBIT_PAR_MINUTE = 3
    _, jeton = nouvelle_cle(monde)
    api = ClientApi(jeton)
    assert [api.get("/api/v1/prescriptions/").status_code for _ in range(3)] == [200] * 3
    reponse = api.get("/api/v1/prescriptions/")
    assert reponse.status_code == 429
    assert int(reponse["Retry-After"]) > 0
    assert "seconde" in reponse.json()["detail"]
    # Une autre clé a son propre compte.
    _, autre = nouvelle_cle(monde, structure="b")
    assert ClientApi(autre).get("/api/v1/prescriptions/").status_code == 200


def test_le_schema_openapi_genere_est_valide(api):
    import yaml

    reponse = api.get("/api/schema/")
    assert reponse.status_code == 200
    schema = yaml.safe_load(reponse.content)
    validate(schema)  # lève une exception si le schéma n'est pas un OpenAPI 3 valide
    assert schema["openapi"].startswith("3.")
    chemins = set(schema["paths"])
    assert {
        "/api/v1/prescriptions/",
        "/api/v1/prescriptions/{id}/",
        "/api/v1/participants/",
        "/api/v1/parcours/",
        "/api/v1/parcours/{id}/",
        "/api/v1/parcours/{id}/etapes/",
        "/api/v1/parcours/{id}/entretiens/",
        "/api/v1/parcours/{id}/contrats/",
        "/api/v1/heures/",
        "/api/v1/besoins/",
        "/api/v1/offres/",
    } <= chemins
    assert "cleApi" in schema["components"]["securitySchemes"]
    creer = schema["paths"]["/api/v1/prescriptions/"]["post"]
    assert "409" in creer["responses"]
    assert any(p["name"] == "Idempotency-Key" for p in creer["parameters"])
    # Chaque opération documente le corps d'erreur commun.
    assert schema["components"]["schemas"]["Erreur"]["required"] == ["detail"]
    for chemin, operations in schema["paths"].items():
        for methode, operation in operations.items():
            for code in ("400", "401", "403", "404", "429"):
                contenu = operation["responses"][code]["content"]["application/json"]
                assert contenu["schema"] == {"$ref": "#/components/schemas/Erreur"}, (
                    chemin,
                    methode,
                    code,
                )
    lister = schema["paths"]["/api/v1/parcours/"]["get"]
    assert {p["name"] for p in lister["parameters"]} >= {"page", "taille", "updated_since"}


def test_le_schema_est_genere_une_fois_par_format(monde, monkeypatch):
    """Le même schéma pour toute clé (il ne dépend que du code) : généré une fois par format,
    puis relu ; YAML et JSON gardent chacun leur type et leur nom de fichier."""
    import json

    import yaml
    from drf_spectacular.views import SpectacularAPIView

    from workflows.api.schema import SchemaGenereUneFois

    monkeypatch.setattr(SchemaGenereUneFois, "_generes", {})
    generations = []
    generer = SpectacularAPIView._get_schema_response

    def generer_compte(vue, request):
        generations.append(request.accepted_renderer.format)
        return generer(vue, request)

    monkeypatch.setattr(SpectacularAPIView, "_get_schema_response", generer_compte)
    prescripteur = ClientApi(nouvelle_cle(monde)[1])
    autre_plie = ClientApi(nouvelle_cle(monde, role=Role.FACILITATEUR, plie=2)[1])
    premier, second = prescripteur.get("/api/schema/"), autre_plie.get("/api/schema/")
    assert premier.status_code == second.status_code == 200
    assert premier.content == second.content
    assert premier["Content-Disposition"] == second["Content-Disposition"]
    en_json = autre_plie.get("/api/schema/", format="json")
    assert en_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert ".json" in en_json["Content-Disposition"]
    assert json.loads(en_json.content) == yaml.safe_load(premier.content)
    assert prescripteur.get("/api/schema/", format="json").content == en_json.content
    assert generations == ["yaml", "json"]
    # Une version demandée est servie sans être gardée : des valeurs inventées à la chaîne ne
    # font pas grossir la mémoire du serveur.
    for version in ("a", "b"):
        assert prescripteur.get("/api/schema/", version=version).status_code == 200
    assert generations == ["yaml", "json", "yaml", "yaml"]
    assert set(SchemaGenereUneFois._generes) == {"yaml", "json"}


def test_la_documentation_est_servie_par_le_site(monde, client):
    client.force_login(monde.user(Role.PRESCRIPTEUR))
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    assert "<script>" not in html.replace(" ", "")  # aucun script en ligne : CSP « self »
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_compte_borne_et_suite_par_updated_since(monde, api, monkeypatch):
    from workflows.pagination import PaginateurBorne

    monkeypatch.setattr(PaginateurBorne, "limite", 3)
    _prescrits(monde, 5)
    premiere = api.get("/api/v1/parcours/", taille="2").json()
    assert (premiere["count"], premiere["compte_borne"]) == (3, True)
    assert api.get("/api/v1/parcours/", taille="2", page="3").status_code == 400
    # La suite par clé (updated_at, id) : tout est lu une fois, même quand toutes les lignes
    # ont la même date de modification (une mise à jour en bloc), sans OFFSET.
    Parcours.objects.update(updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    vus, params = [], {"taille": "2", "updated_since": "2025-01-01"}
    while page := api.get("/api/v1/parcours/", **params).json()["results"]:
        vus += [p["id"] for p in page]
        params.update(updated_since=page[-1]["updated_at"], apres_id=str(page[-1]["id"]))
    assert vus == sorted(Parcours.objects.values_list("pk", flat=True))
    depuis = "2027-01-01"
    petite = api.get("/api/v1/parcours/", updated_since=depuis).json()
    assert petite["compte_borne"] is False
