import pytest
from django.urls import reverse
from django.utils.html import escape

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.participants.normalisation import normaliser
from tests.factories import ParticipantFactory, parcours_en

pytestmark = pytest.mark.django_db

LISTE = reverse("participants:index")


def noms_listes(response):
    return [p.nom for p in response.context["participants"]]


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Éloïse Lefèbvre", "eloise lefebvre"),
        ("  JEAN-Noël  d'Arc ", "jean noel d arc"),
        ("Œuvre Müller", "oeuvre muller"),
    ],
)
def test_normaliser(texte, attendu):
    assert normaliser(texte) == attendu


@pytest.mark.parametrize(
    "recherche", ["lefebvre", "LEFÈBVRE", "Lefebvre élo", "eloise", "ELOÏSE lef"]
)
def test_recherche_tolere_accents_et_casse(client, monde, recherche):
    cible = parcours_en(
        monde, Statut.PRESCRIT, participant=ParticipantFactory(nom="Lefèbvre", prenom="Éloïse")
    )
    parcours_en(monde, Statut.PRESCRIT, participant=ParticipantFactory(nom="Martin", prenom="Paul"))
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"q": recherche})
    assert noms_listes(response) == [cible.participant.nom]


def test_recherche_sans_resultat_l_explique(client, monde):
    parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"q": "introuvable"})
    assert noms_listes(response) == []
    assert "Aucun participant ne correspond à ces critères" in response.content.decode()


def test_filtre_par_etat(client, monde):
    suivi = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"statut": Statut.EN_ACCOMPAGNEMENT})
    assert noms_listes(response) == [suivi.participant.nom]


def test_liste_paginee(client, monde, settings):
    for _ in range(30):
        parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    page1 = client.get(LISTE)
    page2 = client.get(LISTE, {"apres": page1.context["page_obj"].suivante})
    assert len(page1.context["participants"]) == 25
    assert len(page2.context["participants"]) == 5
    assert set(noms_listes(page1)).isdisjoint(noms_listes(page2))
    assert "Participants — 30" in page1.content.decode()
    assert not page2.context["page_obj"].suivante


@pytest.mark.parametrize("page", ["99", "-3", "0", "abc", "99999999999999999999"])
def test_ancien_numero_de_page_ramene_a_la_premiere(client, monde, page):
    """Les pages se lisent par clé : un numéro de page (ancien lien, adresse écrite à la main)
    donne la première page avec un message, jamais une erreur."""
    for _ in range(30):
        parcours_en(monde, Statut.PRESCRIT)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].premiere
    assert len(response.context["participants"]) == 25
    assert "« Suivante » et « Précédente » : première page" in response.content.decode()


def test_liste_affiche_l_etat_du_dernier_parcours(client, monde):
    ancien = parcours_en(monde, Statut.SORTI)
    nouveau = parcours_en(monde, Statut.PRESCRIT, participant=ancien.participant)
    nouveau.precedent = ancien
    nouveau.save()
    client.force_login(monde.user(Role.ANIMATEUR))
    (participant,) = client.get(LISTE).context["participants"]
    assert participant.statut_libelle == "Prescrit"


@pytest.mark.parametrize("role", [Role.ANIMATEUR, Role.REFERENT, Role.PRESCRIPTEUR])
def test_liste_en_nombre_de_requetes_constant(client, monde, role):
    user = monde.user(role)
    client.force_login(user)

    def compter():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LISTE)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["participants"])

    parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    requetes_1, lignes_1 = compter()
    for _ in range(15):
        parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    requetes_16, lignes_16 = compter()
    assert (lignes_1, lignes_16) == (1, 16)
    assert requetes_16 == requetes_1
    assert requetes_1 <= 8


def test_fiche_montre_etat_et_historique(client, monde):
    parcours = parcours_en(monde, Statut.AJOURNE)
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(reverse("participants:detail", args=[parcours.participant.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ajourné" in page
    for libelle in ("Déclarer recevable", "Inscrire en commission d'entrée", "Ajourner"):
        assert escape(libelle) in page
    assert escape("Projet professionnel à préciser") in page


def test_fiche_en_nombre_de_requetes_constant(client, monde):
    client.force_login(monde.user(Role.ANIMATEUR))
    court = parcours_en(monde, Statut.RECEVABLE)
    long = parcours_en(monde, Statut.SORTI)

    def compter(parcours):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(
                    reverse("participants:detail", args=[parcours.participant.pk])
                ).status_code
                == 200
            )
        return len(ctx.captured_queries)

    assert compter(court) == compter(long)


def test_fiche_inconnue_repond_404(client, monde):
    client.force_login(monde.user(Role.ANIMATEUR))
    assert client.get(reverse("participants:detail", args=[999999])).status_code == 404
