"""Identifiants et textes de recherche lus avant usage : « abc », « ² », vingt chiffres ou un
caractère nul dans un paramètre donnent un message, une page vide ou 404, jamais une erreur 500.
"""

import pytest
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.commissions.models import Decision
from parcours.core import parametres
from parcours.core.enums import Role
from tests.commissions.conftest import Commission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("12", 12),
        (" 12 ", 12),
        (7, 7),
        ("abc", None),
        ("²", None),  # un chiffre pour str.isdigit, pas pour int
        ("١٢", None),
        ("-1", None),
        ("1e3", None),
        ("9" * 30, None),
        ("", None),
        (None, None),
    ],
)
def test_identifiant(valeur, attendu):
    assert parametres.identifiant(valeur) == attendu


def test_recherche():
    assert parametres.recherche("  Du\x00pont\n ") == "Du pont"
    assert len(parametres.recherche("x" * 100_000)) == parametres.LONGUEUR_RECHERCHE
    assert parametres.recherche(None) == ""


# — La séance de commission —


@pytest.fixture
def commission(monde):
    return Commission(monde)


def _poster(client, commission, session, donnees):
    client.force_login(commission.animateur)
    url = reverse("commissions:detail", args=[session.pk])
    reponse = client.post(url, donnees, follow=True)
    assert reponse.redirect_chain == [(url, 302)]
    return [str(m) for m in reponse.context["messages"]]


def _poster_decision(client, commission, session, donnees):
    """Une décision refusée réaffiche la page (la ligne garde la saisie) : pas de redirection."""
    client.force_login(commission.animateur)
    reponse = client.post(reverse("commissions:detail", args=[session.pk]), donnees)
    assert reponse.status_code == 200
    return [str(m) for m in reponse.context["messages"]]


@pytest.mark.parametrize("valeur", ["abc", "²", "9" * 30, "-4", ""])
def test_inscrire_un_dossier_abc(client, commission, valeur):
    session = commission.session()
    messages = _poster(client, commission, session, {"action": "inscrire", "parcours": valeur})
    assert len(messages) == 1 and messages[0].startswith("Dossier : ")
    assert not session.inscriptions.exists()


@pytest.mark.parametrize(
    ("champ", "valeur", "debut"),
    [
        ("parcours", "abc", "Dossier : "),
        ("referent", "abc", "Référent : "),
        ("referent", "9" * 30, "Référent : "),
        ("motif", "Absent\x00", "Motif : "),
    ],
)
def test_decider_avec_un_champ_hostile(client, commission, champ, valeur, debut):
    session = commission.session()
    parcours = commission.inscrit(session)
    donnees = {
        "action": "decider",
        "parcours": parcours.pk,
        "decision": "admis",
        "referent": commission.referent.pk,
        champ: valeur,
    }
    messages = _poster_decision(client, commission, session, donnees)
    assert len(messages) == 1 and messages[0].startswith(debut), messages
    assert not Decision.objects.exists()
    parcours.refresh_from_db()
    assert parcours.statut == Statut.EN_COMMISSION_ENTREE


def test_decider_un_referent_inconnu_404(client, commission):
    session = commission.session()
    parcours = commission.inscrit(session)
    client.force_login(commission.animateur)
    reponse = client.post(
        reverse("commissions:detail", args=[session.pk]),
        {"action": "decider", "parcours": parcours.pk, "decision": "admis", "referent": 10**9},
    )
    assert reponse.status_code == 404


# — Les filtres des listes —

HOSTILES = ["abc", "²", "9" * 30, "\x00", "x" * 100_000, "<script>"]


@pytest.mark.parametrize("valeur", HOSTILES)
@pytest.mark.parametrize(
    ("role", "nom", "parametre"),
    [
        (Role.REFERENT, "participants:index", "q"),
        (Role.ANIMATEUR, "accueil:index", "territoire"),
        (Role.DIRECTION, "suivi:portefeuilles", "plie"),
        (Role.CRE, "entreprises:index", "q"),
        (Role.CRE, "entreprises:index", "secteur"),
        (Role.CRE, "entreprises:offres", "q"),
        (Role.FACILITATEUR, "clauses:index", "marche"),
        (Role.FACILITATEUR, "clauses:index", "q"),
        (Role.FACILITATEUR, "clauses:donneurs_ordre", "q"),
        (Role.FACILITATEUR, "clauses:operations", "donneur_ordre"),
        (Role.FACILITATEUR, "clauses:marches", "operation"),
        (Role.FACILITATEUR, "clauses:operation_creer", "donneur_ordre"),
        (Role.FACILITATEUR, "clauses:marche_creer", "operation"),
        (Role.FACILITATEUR, "clauses:besoin_creer", "marche"),
    ],
)
def test_filtres_hostiles(client, monde, role, nom, parametre, valeur):
    from tests.clauses.conftest import referentiel_avec_clauses

    referentiel_avec_clauses(monde.plie1)
    client.force_login(monde.user(role))
    reponse = client.get(reverse(nom), {parametre: valeur})
    assert reponse.status_code in (200, 404), reponse.status_code
