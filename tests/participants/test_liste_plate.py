"""La liste des participants de qui voit tout un PLIE lit le marqueur `dernier_du_plie` : mêmes
lignes, dans le même ordre, que le calcul du « dernier parcours visible » (DISTINCT ON), sur un
jeu varié ; le chemin n'est pris que si rien n'est visible hors du PLIE."""

import datetime

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.participants.models import numero
from tests.factories import ParcoursFactory, membre, parcours_en
from workflows.participants.filtres import FiltresParticipants
from workflows.participants.requete import _requete

pytestmark = pytest.mark.django_db

FILTRES = [
    {},
    {"statut": Statut.EN_ACCOMPAGNEMENT},
    {"statut": Statut.SORTI},
    {"statut": Statut.PRESCRIT, "tri": "-nom"},
    {"tri": "etat"},
    {"tri": "-entree"},
    {"tri": "naissance"},
    {"q": "Nom"},
    {"q": "Nom", "statut": Statut.PRESCRIT},
    {"entree_du": "2000-01-01", "tri": "-referent"},
]


@pytest.fixture
def jeu(monde):
    """Des états variés, une réentrée, un parcours antidaté, une personne dans les deux PLIE."""
    for statut in (Statut.PRESCRIT, Statut.EN_ACCOMPAGNEMENT, Statut.SORTI, Statut.ADMIS):
        parcours_en(monde, statut)
        parcours_en(monde, statut, structure="b")
    sorti = parcours_en(monde, Statut.SORTI)
    ParcoursFactory(participant=sorti.participant, plie=monde.plie1, precedent=sorti)
    recent = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    ParcoursFactory(
        participant=recent.participant,
        plie=monde.plie1,
        statut=Statut.SORTI,
        date_prescription=recent.date_prescription - datetime.timedelta(days=400),
    )
    deux_plies = parcours_en(monde, Statut.SORTI)
    ailleurs = parcours_en(monde, Statut.PRESCRIT, plie=2, participant=deux_plies.participant)
    return ailleurs


def _lignes(user, params, plie_entier):
    filtres = FiltresParticipants(user, params)
    return list(_requete(filtres, False, plie_entier).values_list("pk", "participant_id"))


@pytest.mark.parametrize("params", FILTRES, ids=lambda p: "-".join(map(str, p.values())) or "tout")
def test_meme_liste_par_le_marqueur(monde, jeu, params):
    animateur = monde.user(Role.ANIMATEUR)
    assert acces.plie_entier_visible(animateur) == monde.plie1.pk
    avant = _lignes(animateur, params, None)
    assert avant == _lignes(animateur, params, monde.plie1.pk)
    assert avant or params.get("statut") == Statut.SORTI or params.get("q")


def test_la_page_sert_le_chemin_du_marqueur(client, monde, jeu):
    animateur = monde.user(Role.ANIMATEUR)
    client.force_login(animateur)
    reponse = client.get(reverse("participants:index"), {"taille": 100})
    attendu = [participant for _, participant in _lignes(animateur, {}, None)]
    assert [p.pk for p in reponse.context["participants"]] == attendu
    # La personne des deux PLIE : son parcours du PLIE 1 (sorti), pas celui du PLIE 2.
    (ligne,) = [p for p in reponse.context["participants"] if p.pk == jeu.participant_id]
    assert ligne.statut_courant == Statut.SORTI


def test_un_droit_hors_du_plie_garde_le_calcul_des_visibles(client, monde, jeu):
    animateur = monde.user(Role.ANIMATEUR)
    assign_perm("accompagnement.view_parcours", animateur, jeu)
    # Le périmètre (droits explicites compris) est lu une fois par objet compte : on le relit,
    # comme le fait chaque requête HTTP.
    animateur = type(animateur).objects.get(pk=animateur.pk)
    assert acces.plie_entier_visible(animateur) is None
    client.force_login(animateur)
    reponse = client.get(reverse("participants:index"), {"q": numero(jeu.participant_id)})
    # Son dernier parcours visible est celui du PLIE 2 (prescrit), pas le sorti du PLIE 1.
    (ligne,) = reponse.context["participants"]
    assert ligne.statut_courant == Statut.PRESCRIT


@pytest.mark.parametrize("role", [Role.REFERENT, Role.PRESCRIPTEUR, Role.CRE, Role.COMMISSION])
def test_hors_pilotage_pas_de_plie_entier(monde, jeu, role):
    assert acces.plie_entier_visible(monde.user(role)) is None


def test_deux_plies_pilotes_pas_de_plie_entier(monde, jeu):
    animateur = monde.user(Role.ANIMATEUR)
    membre(Role.ANIMATEUR, monde.structure("porteur", "a", 2), user=animateur)
    animateur = type(animateur).objects.get(pk=animateur.pk)
    assert acces.plie_entier_visible(animateur) is None
