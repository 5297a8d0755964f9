"""Les pages des tableaux de bord : chaque rôle son périmètre (404 ailleurs), tout indicateur
du registre affiché génériquement (titre, définition, graphique, tableau, exports), filtres en
GET avec messages clairs, et un nombre de requêtes constant (docs/tableaux_de_bord.md)."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.core.enums import Role
from parcours.reporting.indicateurs import INDICATEURS, Indicateur, Tableau
from tests.factories import membre
from tests.pilotage.conftest import dossier
from workflows.pilotage.sections import SECTIONS

pytestmark = pytest.mark.django_db


def _url(plie, **params):
    from urllib.parse import urlencode

    return reverse("pilotage:tableau", args=[plie.pk]) + ("?" + urlencode(params) if params else "")


def _entrees(reponse) -> int:
    """Le total des entrées de l'année affiché par le tableau de bord."""
    (ind,) = [i for i in reponse.context["indicateurs"] if i["tableau"].code == "entrees_par_mois"]
    return sum(n for _, n in ind["tableau"].lignes)


@pytest.fixture
def registre_d_essai(monkeypatch):
    """Un registre temporaire : un indicateur de plus, pour montrer que les pages n'en codent
    aucun en dur."""

    def compter(filtres):
        return Tableau(
            "essai_publics",
            "Indicateur d'essai",
            ("Tranche", "Femmes", "Hommes"),
            [("Moins de 26 ans", 3, 1), ("26 ans et plus", 1500, 2)],
            graphique="barres_empilees",
            definition="Défini pour le test.",
        )

    registre = dict(INDICATEURS)
    registre["essai_publics"] = Indicateur("essai_publics", "Indicateur d'essai", compter)
    monkeypatch.setattr("workflows.pilotage.views.INDICATEURS", registre)
    return registre


def test_la_direction_voit_tout_le_plie_et_chaque_indicateur(client, monde, registre_d_essai):
    """Chaque indicateur du registre dans une section (une page chacune) et une seule."""
    dossier(monde, "a"), dossier(monde, "b"), dossier(monde, "a", plie=2)
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(_url(monde.plie1))
    assert reponse.status_code == 200
    assert (
        f"<title>Tableau de bord du PLIE — {monde.plie1.nom}"
        in reponse.content.decode().replace("\n", "")
    )
    assert _entrees(reponse) == 2
    html, montres = "", []
    for section in SECTIONS:
        page = client.get(_url(monde.plie1, section=section.code))
        assert page.context["section"] == section
        montres += [i["tableau"].code for i in page.context["indicateurs"]]
        html += page.content.decode()
    assert sorted(montres) == sorted(registre_d_essai)
    for code in registre_d_essai:
        assert f'id="indicateur-{code}"' in html
        assert reverse("pilotage:export", args=[monde.plie1.pk, code, "csv"]) in html
        assert reverse("pilotage:export", args=[monde.plie1.pk, code, "xlsx"]) in html
    assert "Défini pour le test." in html
    # Un graphique par indicateur qui en déclare un (certains sont des tableaux seuls).
    graphiques = sum(1 for i in registre_d_essai.values() if i.graphique)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= graphiques > 10
    assert "1\u202f500" in html  # tableau et graphique à la française


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [("direction", 3), ("direction_operateur_a", 2), ("referent_a", 2), ("financeur", 2)],
)
def test_chaque_role_voit_son_perimetre(client, monde, operations, qui, attendu):
    dossier(monde, "a"), dossier(monde, "a"), dossier(monde, "b"), dossier(monde, "a", plie=2)
    user = {
        "direction": lambda: monde.user(Role.DIRECTION),
        "direction_operateur_a": lambda: membre(
            Role.DIRECTION, monde.structure("operateur", "a", 1)
        ),
        "referent_a": lambda: monde.user(Role.REFERENT, "a"),
        # L'opération A (référents de l'opérateur A) est financée par le Département.
        "financeur": operations.financeur,
    }[qui]()
    client.force_login(user)
    reponse = client.get(_url(monde.plie1))
    assert reponse.status_code == 200
    assert _entrees(reponse) == attendu


def test_le_financeur_ne_lit_aucun_nom(client, monde, operations):
    parcours = dossier(monde, "a")
    referent = monde.user(Role.REFERENT, "a")
    client.force_login(operations.financeur())
    reponse = client.get(_url(monde.plie1))
    html = reponse.content.decode()
    assert _entrees(reponse) == 1
    assert "Lecture seule" in html
    assert parcours.participant.nom not in html
    assert referent.last_name not in html
    assert 'name="referent"' not in html and 'name="structure"' not in html


def test_le_filtre_territoire_et_referent_resserrent(client, monde):
    dossier(monde, "a"), dossier(monde, "b")
    client.force_login(monde.user(Role.ANIMATEUR))
    referent_b = monde.user(Role.REFERENT, "b")
    assert _entrees(client.get(_url(monde.plie1, referent=referent_b.pk))) == 1
    assert _entrees(client.get(_url(monde.plie1, territoire=monde.territoire1.pk))) == 2


@pytest.mark.parametrize(
    ("role", "structure"),
    [
        (Role.DIRECTION, "a"),
        (Role.ANIMATEUR, "a"),
        (Role.REFERENT, "a"),
        (Role.FINANCEUR, "a"),
    ],
)
def test_le_plie_voisin_repond_404(client, monde, operations, role, structure):
    user = operations.financeur() if role == Role.FINANCEUR else monde.user(role, structure)
    client.force_login(user)
    assert client.get(_url(monde.plie2)).status_code == 404
    export = reverse("pilotage:export", args=[monde.plie2.pk, "entrees_par_mois", "csv"])
    assert client.get(export).status_code == 404


@pytest.mark.parametrize(
    ("qui", "parametre"),
    [
        ("direction", "territoire_voisin"),
        ("direction", "operation_voisine"),
        ("direction", "pas_un_nombre"),
        ("referent", "referent_b"),
        ("financeur", "operation_b"),
        ("financeur", "referent_b"),
    ],
)
def test_un_filtre_hors_perimetre_repond_404(client, monde, operations, qui, parametre):
    referent_b = monde.user(Role.REFERENT, "b")
    params = {
        "territoire_voisin": {"territoire": monde.territoire2.pk},
        "operation_voisine": {"operation": operations.voisine.pk},
        "pas_un_nombre": {"structure": "1 OR 1=1"},
        "referent_b": {"referent": referent_b.pk},
        "operation_b": {"operation": operations.b.pk},
    }[parametre]
    user = {
        "direction": lambda: monde.user(Role.DIRECTION),
        "referent": lambda: monde.user(Role.REFERENT),
        "financeur": operations.financeur,
    }[qui]()
    client.force_login(user)
    assert client.get(_url(monde.plie1, **params)).status_code == 404
    export = reverse("pilotage:export", args=[monde.plie1.pk, "entrees_par_mois", "csv"])
    from urllib.parse import urlencode

    assert client.get(f"{export}?{urlencode(params)}").status_code == 404


@pytest.mark.parametrize(
    "role", [Role.PRESCRIPTEUR, Role.CRE, Role.COMMISSION, Role.FACILITATEUR, Role.ADMIN]
)
def test_sans_tableau_de_bord_tout_repond_404(client, monde, role):
    client.force_login(monde.user(role))
    assert client.get(reverse("pilotage:index")).status_code == 404
    assert client.get(_url(monde.plie1)).status_code == 404
    export = reverse("pilotage:export", args=[monde.plie1.pk, "entrees_par_mois", "xlsx"])
    assert client.get(export).status_code == 404


def test_l_index_mene_au_tableau_du_plie(client, monde):
    client.force_login(monde.user(Role.REFERENT))
    reponse = client.get(reverse("pilotage:index"))
    assert reponse["Location"] == _url(monde.plie1)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "2026-12-31", "au": "2026-01-01"}, "La période est inversée"),
        ({"du": "", "au": "2026-01-01"}, "Indiquez le début de la période"),
        ({"du": "2026-01-01", "au": ""}, "Indiquez la fin de la période"),
        ({"du": "31/12/2026", "au": "2026-12-31"}, "n'est pas une date au format AAAA-MM-JJ"),
        ({"du": "2026-01-01", "au": "2026-12-31", "public": "martiens"}, "Public inconnu"),
    ],
)
def test_une_mauvaise_periode_est_expliquee_sans_rien_perdre(client, monde, params, message):
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(_url(monde.plie1, territoire=monde.territoire1.pk, **params))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert message in unescape(html)
    assert "indicateurs" not in reponse.context
    assert f'value="{params["du"]}"' in html
    assert f'<option value="{monde.territoire1.pk}" selected>' in html


def test_la_periode_par_defaut_est_l_annee_en_cours(client, monde):
    from django.utils import timezone

    annee = timezone.localdate().year
    client.force_login(monde.user(Role.DIRECTION))
    reponse = client.get(_url(monde.plie1))
    assert f'value="{annee}-01-01"' in reponse.content.decode()
    assert str(reponse.context["periode"]) == f"du 01/01/{annee} au 31/12/{annee}"


# Session, compte, PLIE, adhésions, structures d'animation, listes des filtres : au plus 10
# requêtes, puis celles, constantes, de chaque indicateur (une pour chacun des deux du socle).
PLAFOND_HORS_INDICATEURS = 10


@pytest.mark.parametrize("qui", ["direction", "direction_operateur", "referent", "financeur"])
def test_nombre_de_requetes_constant(client, monde, operations, qui, django_assert_num_queries):
    user = {
        "direction": lambda: monde.user(Role.DIRECTION),
        "direction_operateur": lambda: membre(Role.DIRECTION, monde.structure("operateur", "a", 1)),
        "referent": lambda: monde.user(Role.REFERENT),
        "financeur": operations.financeur,
    }[qui]()
    client.force_login(user)
    dossier(monde, "a")
    client.get(_url(monde.plie1))  # sessions, caches

    with CaptureQueriesContext(connection) as petit:
        assert client.get(_url(monde.plie1)).status_code == 200
    # Chaque indicateur coûte au plus 3 requêtes (tests/reporting/test_indicateurs_requetes.py).
    assert len(petit) <= PLAFOND_HORS_INDICATEURS + 3 * len(INDICATEURS)
    for _ in range(4):
        dossier(monde, "a"), dossier(monde, "b")
    monde.user(Role.REFERENT, "b"), monde.user(Role.REFERENT_ETAPE, "a")
    with django_assert_num_queries(len(petit)):
        assert client.get(_url(monde.plie1)).status_code == 200
