"""Le menu de gauche n'affiche que les applications que l'utilisateur peut utiliser
(config/menu.py), sans rien changer aux réponses des URL : sans connexion, la page de connexion ;
hors périmètre, 404."""

import re

import pytest
from django.urls import reverse

from parcours.core.enums import Role
from tests.factories import parcours_en

TOUTES = {
    "accueil",
    "participants",
    "commissions",
    "clauses",
    "candidatures",
    "entreprises",
    "fse",
    "pilotage",
    "entree",
    "suivi",
    "relances_absence",
    "suspensions",
    "emploi",
    "suivi_emploi",
    "sortie",
    "alertes",
    "administration",
    "journal",
}

MENU_ATTENDU = {
    Role.PRESCRIPTEUR: {"accueil", "participants", "clauses"},
    Role.REFERENT: {"accueil", "participants", "clauses", "entreprises", "fse", "pilotage"},
    Role.CRE: {"accueil", "participants", "entreprises"},
    Role.FACILITATEUR: {"accueil", "clauses", "entreprises"},
    Role.ANIMATEUR: {
        "accueil",
        "participants",
        "commissions",
        "clauses",
        "entreprises",
        "suivi",
        "fse",
        "pilotage",
    },
    Role.DIRECTION: {
        "accueil",
        "participants",
        "commissions",
        "clauses",
        "entreprises",
        "suivi",
        "journal",
        "fse",
        "pilotage",
    },
    Role.COMMISSION: {"accueil", "participants", "commissions"},
    Role.DONNEUR_ORDRE: {"accueil", "clauses"},
    Role.FINANCEUR: {"accueil", "fse", "pilotage"},
    Role.ADMIN: {
        "accueil",
        "participants",
        "entreprises",
        "clauses",
        "administration",
        "journal",
        "fse",
    },
}


def entrees_du_menu(html: str) -> set[str]:
    """Les applications listées dans le menu du site (le premier bloc de navigation)."""
    debut = html.index("vf-page__menu-subheader")
    bloc = html[debut : html.index("</vf-page-menu-navigation>", debut)]
    return set(re.findall(r'href="/app/([a-z_]+)/"', bloc))


@pytest.mark.parametrize("role", list(MENU_ATTENDU))
def test_menu_selon_le_role(client, monde, role):
    client.force_login(monde.user(role))
    # Le financeur arrive sur son tableau de bord : le même menu.
    reponse = client.get(reverse("accueil:index"), follow=True)
    assert reponse.status_code == 200
    assert entrees_du_menu(reponse.content.decode()) == MENU_ATTENDU[role]


def test_menu_complet_pour_le_superutilisateur(client, monde, django_user_model):
    admin = django_user_model.objects.create_superuser("racine", "racine@example.org", "x")
    client.force_login(admin)
    html = client.get(reverse("accueil:index")).content.decode()
    assert entrees_du_menu(html) == {
        "accueil",
        "participants",
        "commissions",
        "clauses",
        "entreprises",
        "suivi",
        "administration",
        "journal",
        "fse",
        "pilotage",
    }


@pytest.mark.parametrize("role", list(MENU_ATTENDU))
def test_chaque_entree_du_menu_s_ouvre(client, monde, role):
    """Une entrée affichée ne mène jamais à une erreur (200 ou redirection vers une page
    elle-même accessible)."""
    client.force_login(monde.user(role))
    for app in MENU_ATTENDU[role]:
        reponse = client.get(f"/app/{app}/", follow=True)
        assert reponse.status_code == 200, app


@pytest.mark.parametrize("app", sorted(TOUTES))
def test_anonyme_toujours_vers_la_connexion(client, db, app):
    reponse = client.get(f"/app/{app}/", follow=True)
    assert reponse.redirect_chain
    assert reponse.redirect_chain[-1][0].startswith(reverse("login"))


# Ce que répondent au financeur les entrées qu'il ne voit pas : jamais 403 (le middleware de
# viewflow n'intervient pas), les mêmes réponses qu'avant le filtrage du menu.
REPONSES_FINANCEUR = {
    "commissions": 200,  # la liste, vide : aucune séance visible
    "clauses": 404,
    "entreprises": 404,
    "suivi": 302,  # l'index des portefeuilles renvoie à l'accueil
    "emploi": 302,
    **dict.fromkeys(
        (
            "candidatures",
            "entree",
            "relances_absence",
            "suspensions",
            "suivi_emploi",
            "sortie",
            "alertes",
        ),
        302,
    ),
}


@pytest.mark.parametrize("app", sorted(REPONSES_FINANCEUR))
def test_une_entree_masquee_garde_sa_reponse(client, monde, app):
    client.force_login(monde.user(Role.FINANCEUR))
    reponse = client.get(f"/app/{app}/")
    assert reponse.status_code == REPONSES_FINANCEUR[app]
    if reponse.status_code == 302:
        assert reponse["Location"] == reverse("accueil:index")


@pytest.mark.parametrize(
    ("role", "url", "attendu"),
    [
        (Role.PRESCRIPTEUR, "entreprises:index", 404),
        (Role.FINANCEUR, "entreprises:index", 404),
        (Role.DONNEUR_ORDRE, "entreprises:index", 404),
        (Role.REFERENT, "suivi:portefeuilles", 404),
        (Role.FINANCEUR, "clauses:index", 404),
        (Role.CRE, "entreprises:index", 200),
    ],
)
def test_hors_perimetre_toujours_404(client, monde, role, url, attendu):
    client.force_login(monde.user(role))
    assert client.get(reverse(url)).status_code == attendu


def test_referent_va_aux_offres(client, monde):
    client.force_login(monde.user(Role.REFERENT))
    reponse = client.get(reverse("entreprises:index"))
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("entreprises:offres")


def test_dossier_d_une_autre_structure_toujours_404(client, monde):
    parcours = parcours_en(monde, "en_accompagnement", structure="a")
    client.force_login(monde.user(Role.PRESCRIPTEUR, structure="b"))
    assert client.get(reverse("participants:dossier", args=[parcours.pk])).status_code == 404
    assert (
        client.get(reverse("participants:detail", args=[parcours.participant_id])).status_code
        == 404
    )
    client.force_login(monde.user(Role.REFERENT, structure="b"))
    assert client.get(reverse("suivi:etapes", args=[parcours.pk])).status_code == 404
