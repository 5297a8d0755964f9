"""Chaque écran d'heures et de bilans passe par la politique d'accès : facilitateur du PLIE,
pilotage (animation), donneur d'ordre (ses opérations seulement, en totaux), référent, autre
PLIE, anonyme. Hors périmètre : 404 ; sans connexion : la page de connexion."""

import pytest
from django.urls import reverse

from parcours.core.enums import Role
from tests.clauses.chantier_heures import Bilan
from tests.clauses.factories import DonneurOrdreFactory, MarcheFactory, OperationFactory

OK, ABSENT = 200, 404


class Monde(Bilan):
    """Le bilan, avec le compte du donneur d'ordre « Agen Habitat » et un second donneur d'ordre
    du même PLIE, « Ville d'Agen », dont il ne doit rien voir."""

    def __init__(self, monde):
        super().__init__(monde)
        self.compte_donneur = monde.user(Role.DONNEUR_ORDRE)
        self.donneur.structure = monde.structure("porteur", "a", 1)
        self.donneur.save()
        self.autre_donneur = DonneurOrdreFactory(plie=monde.plie1, nom="Ville d'Agen")
        self.autre_marche = MarcheFactory(
            operation=OperationFactory(donneur_ordre=self.autre_donneur, nom="Médiathèque"),
            numero="2025-VIL-009",
            attributaire=self.attributaire,
        )

    def urls(self):
        return {
            "heures": reverse("clauses:heures"),
            "heures_import": reverse("clauses:heures_import"),
            "heures_saisie": reverse("clauses:heures_saisie", args=[self.marche.pk]),
            "bilans": reverse("clauses:bilans"),
            "equite": reverse("clauses:equite"),
            "tableau_de_bord": reverse("clauses:tableau_de_bord"),
            "impact": reverse("clauses:impact", args=[self.donneur.pk]),
            "impact_xlsx": reverse("clauses:impact_xlsx", args=[self.donneur.pk]),
            "impact_pdf": reverse("clauses:impact_pdf", args=[self.donneur.pk]),
            "impact_autre": reverse("clauses:impact", args=[self.autre_donneur.pk]),
            "impact_autre_pdf": reverse("clauses:impact_pdf", args=[self.autre_donneur.pk]),
        }


@pytest.fixture
def m(monde):
    return Monde(monde)


TOUT = {
    "heures": OK,
    "heures_import": OK,
    "heures_saisie": OK,
    "bilans": OK,
    "equite": OK,
    "tableau_de_bord": OK,
    "impact": OK,
    "impact_xlsx": OK,
    "impact_pdf": OK,
    "impact_autre": OK,
    "impact_autre_pdf": OK,
}
ATTENDU = {
    "facilitateur": TOUT,
    "admin": TOUT,
    "animateur": {**TOUT, "heures": ABSENT, "heures_import": ABSENT, "heures_saisie": ABSENT},
    "direction": {**TOUT, "heures": ABSENT, "heures_import": ABSENT, "heures_saisie": ABSENT},
    "donneur_ordre": {
        **TOUT,
        "heures": ABSENT,
        "heures_import": ABSENT,
        "heures_saisie": ABSENT,
        "tableau_de_bord": ABSENT,
        "impact_autre": ABSENT,
        "impact_autre_pdf": ABSENT,
    },
    "referent": dict.fromkeys(TOUT, ABSENT),
    "prescripteur": dict.fromkeys(TOUT, ABSENT),
    "cre": dict.fromkeys(TOUT, ABSENT),
    # Le facilitateur du PLIE voisin a ses propres écrans, mais aucun objet du PLIE 1.
    "facilitateur_plie2": {
        **TOUT,
        "heures_saisie": ABSENT,
        "impact": ABSENT,
        "impact_xlsx": ABSENT,
        "impact_pdf": ABSENT,
        "impact_autre": ABSENT,
        "impact_autre_pdf": ABSENT,
    },
}


def _compte(m, qui):
    if qui == "donneur_ordre":
        return m.compte_donneur
    if qui == "facilitateur_plie2":
        return m.monde.user(Role.FACILITATEUR, plie=2)
    return m.monde.user(Role(qui))


def _statut(client, url):
    reponse = client.get(url)
    if reponse.streaming:
        # Lire le classeur jusqu'au bout : le client de test ferme alors le fichier envoyé.
        b"".join(reponse.streaming_content)
    return reponse.status_code


@pytest.mark.parametrize("qui", list(ATTENDU))
def test_matrice_d_acces(client, m, qui):
    client.force_login(_compte(m, qui))
    obtenu = {nom: _statut(client, url) for nom, url in m.urls().items()}
    assert obtenu == ATTENDU[qui]


def test_anonyme_renvoye_a_la_connexion(client, m):
    for url in m.urls().values():
        reponse = client.get(url)
        assert reponse.status_code == 302
        assert reponse.url.startswith(reverse("login"))


def test_donneur_ordre_ne_voit_que_ses_operations_en_totaux(client, m):
    client.force_login(m.compte_donneur)
    for url in (reverse("clauses:bilans"), reverse("clauses:equite")):
        texte = client.get(url).content.decode()
        assert "Agen Habitat" in texte
        assert "Résidence des Pins" in texte or url.endswith("equite/")
        assert "Ville d'Agen" not in texte and "Ville d&#x27;Agen" not in texte
        assert "2025-VIL-009" not in texte
        assert "Médiathèque" not in texte
        # Des totaux, pas de personnes.
        assert "Lina" not in texte
        assert m.lina.numero not in texte
        assert m.sam.numero not in texte


def test_facilitateur_d_un_autre_plie_ne_voit_pas_le_plie_1(client, m):
    client.force_login(m.monde.user(Role.FACILITATEUR, plie=2))
    for nom in ("heures", "bilans", "equite", "tableau_de_bord"):
        texte = client.get(reverse(f"clauses:{nom}")).content.decode()
        assert "2025-BAT-001" not in texte
        assert "Agen Habitat" not in texte
    assert client.get(reverse("clauses:bilans"), {"plie": m.monde.plie1.code}).status_code == 404


def test_bilans_sans_accents_perdus_et_en_requetes_constantes(
    client, m, django_assert_max_num_queries
):
    client.force_login(m.facilitateur)
    with django_assert_max_num_queries(20):
        reponse = client.get(reverse("clauses:bilans"))
    texte = reponse.content.decode()
    assert "Résidence des Pins" in texte
    assert "19,3" in texte  # taux de l'opération (290 / 1 500)
    # Dix marchés de plus : autant de requêtes.
    for n in range(10):
        MarcheFactory(operation=m.operation2, numero=f"2025-X-{n}", attributaire=m.attributaire)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("clauses:bilans")).status_code == 200


@pytest.mark.parametrize("nom", ["heures", "equite", "tableau_de_bord", "impact", "heures_saisie"])
def test_pages_en_requetes_constantes(client, m, django_assert_max_num_queries, nom):
    client.force_login(m.facilitateur)
    url = m.urls()[nom]
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_periode_invalide_signalee(client, m):
    client.force_login(m.facilitateur)
    reponse = client.get(reverse("clauses:bilans"), {"debut": "mai"})
    assert reponse.status_code == 200
    assert "Mois attendu au format AAAA-MM." in reponse.content.decode()


def test_accueil_du_donneur_d_ordre_mene_a_son_tableau_d_impact(client, m):
    """Issue 12 : l'accueil d'un compte de donneur d'ordre lie son tableau d'impact (page, XLSX,
    PDF) et les bilans de ses opérations ; jamais celui d'un autre donneur d'ordre. Les autres
    rôles n'ont pas cette section."""
    client.force_login(m.compte_donneur)
    page = client.get(reverse("accueil:index")).content.decode()
    assert 'id="tableaux-impact"' in page
    for nom in ("impact", "impact_xlsx", "impact_pdf"):
        assert f'href="{reverse(f"clauses:{nom}", args=[m.donneur.pk])}"' in page
    assert reverse("clauses:impact", args=[m.autre_donneur.pk]) not in page
    assert "Ville d&#x27;Agen" not in page
    assert f'href="{reverse("clauses:bilans")}"' in page
    # Le lien mène bien à la page (la politique d'accès la lui ouvre).
    assert client.get(reverse("clauses:impact", args=[m.donneur.pk])).status_code == 200
    for role, plie in ((Role.FACILITATEUR, 1), (Role.REFERENT, 1), (Role.DONNEUR_ORDRE, 2)):
        client.force_login(m.monde.user(role, plie=plie))
        page = client.get(reverse("accueil:index")).content.decode()
        assert 'id="tableaux-impact"' not in page
        assert reverse("clauses:impact", args=[m.donneur.pk]) not in page
