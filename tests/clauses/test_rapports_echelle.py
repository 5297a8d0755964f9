"""Les bilans et les listes des clauses à l'échelle (issue 11) : un nombre de requêtes qui ne
dépend ni du nombre de lignes d'heures ni du nombre de marchés, des listes paginées. La vitesse
se mesure au banc d'essai, pas ici."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.clauses import rapports
from parcours.participants.enums import StatutSocial
from tests.clauses.chantier_heures import Bilan, embaucher, heures, participant_du_plie
from tests.clauses.factories import CandidatExterneFactory, MarcheFactory

PAGES = ("clauses:bilans", "clauses:equite", "clauses:heures", "clauses:marches")


@pytest.fixture
def b(monde):
    return Bilan(monde)


def _requetes(client, url):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


def _grossir(b):
    """18 lignes d'heures de plus (neuf personnes, deux mois) et assez de marchés pour deux
    pages : le bilan passe de 5 à 23 lignes d'heures."""
    for i in range(9):
        if i % 2:
            personne = CandidatExterneFactory(plie=b.monde.plie1, qpv=True, rsa=False)
        else:
            personne = participant_du_plie(
                b.monde, statuts=(StatutSocial.RQTH,), date_naissance=datetime.date(2005, 1, 1)
            )
        embaucher(b.besoin, personne)
        for mois in ((2025, 7), (2025, 8)):
            heures(b, b.marche, personne, mois, 10)
    for n in range(settings.PAGINATE_BY):
        MarcheFactory(operation=b.operation2, numero=f"2025-Z-{n:03d}", attributaire=b.attributaire)


def test_bilans_et_listes_en_requetes_constantes(client, b):
    client.force_login(b.facilitateur)
    avant = {nom: _requetes(client, reverse(nom)) for nom in PAGES}
    _grossir(b)
    apres = {nom: _requetes(client, reverse(nom)) for nom in PAGES}
    assert apres == avant
    # Cible de l'issue 11 : 12 requêtes au plus par page (les bilans en faisaient 15 : le total
    # et les trois regroupements passent en une requête, `rapports.bilan_heures`).
    assert all(n <= 12 for n in apres.values()), apres
    assert apres["clauses:bilans"] <= 8


def test_publics_une_requete_et_memes_comptes(b, django_assert_num_queries):
    _grossir(b)
    marches = b.marches()  # le périmètre (la politique d'accès lit les adhésions)
    with django_assert_num_queries(1):
        lignes = {ligne["code"]: ligne for ligne in rapports.publics(marches)}
    # Lina (F, jeune, RSA, QPV) 200 h ; Sam (RSA) 90 h ; 5 participants RQTH nés en 2005 et
    # 4 externes QPV : 20 h chacun.
    assert lignes["toutes"]["heures"] == Decimal(470)
    assert (lignes["rqth"]["personnes"], lignes["rqth"]["heures"]) == (5, Decimal(100))
    assert (lignes["qpv"]["personnes"], lignes["qpv"]["heures"]) == (5, Decimal(280))
    assert (lignes["rsa"]["personnes"], lignes["rsa"]["heures"]) == (2, Decimal(290))
    assert (lignes["jeune"]["personnes"], lignes["jeune"]["heures"]) == (6, Decimal(300))
    assert (lignes["externe"]["personnes"], lignes["participant"]["personnes"]) == (5, 6)
    with django_assert_num_queries(1):
        (donneur,) = rapports.publics_par_donneur(marches)
    assert donneur["nom"] == "Agen Habitat"
    assert donneur["publics"][0]["heures"] == Decimal(470)


def test_ecran_des_heures_pagine(client, b):
    _grossir(b)
    client.force_login(b.facilitateur)
    premiere = client.get(reverse("clauses:heures")).content.decode()
    assert "Page 1 sur 2" in premiere
    assert "2025-BAT-001" in premiere
    # Page au-delà de la fin ou absurde : la dernière page (ou la première), jamais d'erreur.
    for page in ("99", "-3", "abc"):
        reponse = client.get(reverse("clauses:heures"), {"page": page})
        assert reponse.status_code == 200
        assert "Page " in reponse.content.decode()


def test_ecran_des_heures_pagination_bornee(client, b):
    """L'écran des heures suit `PaginationBorneeMixin` (issue 11) : `?taille=` choisie et gardée
    dans les liens de page avec le PLIE ; une taille absurde est ramenée avec un message."""
    _grossir(b)
    client.force_login(b.facilitateur)
    page = client.get(reverse("clauses:heures"), {"taille": "10"}).content.decode()
    assert f"Page 1 sur {-(-b.marches().count() // 10)}" in page
    assert f"?plie={b.monde.plie1.code}&amp;taille=10&page=2" in page
    assert page.count("Saisir les heures</a>") == 10
    reponse = client.get(reverse("clauses:heures"), {"taille": "100000", "page": "-4"})
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert "hors des bornes (1 à 100)" in texte
    # Ramenée à 100 : tous les marchés du PLIE sur une page (ils sont moins de 100), page 1.
    assert texte.count("Saisir les heures</a>") == b.marches().count() > 25
    assert "Page « -4 » hors de la liste : page 1 sur 1." in texte
