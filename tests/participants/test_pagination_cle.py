"""La liste des participants paginée par clé : suivre « Suivante » puis « Précédente » donne
chaque personne une fois, dans l'ordre de chaque tri (égalités et valeurs nulles comprises) ;
pas d'`OFFSET`, requêtes constantes d'une page à l'autre ; un curseur illisible, forgé ou
périmé ramène à la première page avec un message, jamais une erreur ; rien d'un autre PLIE."""

import base64
import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.enums import Role
from tests.factories import ParticipantFactory, parcours_en
from workflows.participants.filtres import TRIS

pytestmark = pytest.mark.django_db

LISTE = reverse("participants:index")
# Chaque tri, dans les deux sens (liste : ordre stable pour xdist).
TRIS_ET_SENS = [t for colonne in TRIS for t in (colonne, f"-{colonne}")]


@pytest.fixture
def personnes(monde):
    """Sept personnes aux clés de tri égales deux à deux, des dates d'entrée et des référents
    nuls (prescrits) : les cas où une pagination par clé se trompe."""
    lignes = []
    noms = [("Martin", "Léa"), ("Martin", "Léa"), ("Martin", "Anne"), ("Durand", "Paul")]
    noms += [("Bernard", "Zoé"), ("Bernard", "Zoé"), ("Petit", "Jean")]
    for i, (nom, prenom) in enumerate(noms):
        participant = ParticipantFactory(
            nom=nom,
            prenom=prenom,
            date_naissance=datetime.date(1990, 1, 1 + i % 2),
            commune_nom="Agen" if i % 3 else "",
        )
        statut = Statut.EN_ACCOMPAGNEMENT if i % 2 else Statut.PRESCRIT
        lignes.append(parcours_en(monde, statut, participant=participant))
    entrees = [None, datetime.date(2026, 1, 1), None, datetime.date(2026, 1, 1)]
    for parcours, entree in zip(lignes, entrees, strict=False):
        Parcours.objects.filter(pk=parcours.pk).update(date_entree=entree)
    return lignes


def _ids(response):
    return [ligne.participant_id for ligne in response.context["lignes"]]


def _lien(response, rel):
    """Le curseur du lien `rel` (next, prev) tel que la page l'écrit."""
    trouve = re.search(r'href="\?([^"]*)" rel="' + rel + '"', response.content.decode())
    if not trouve:
        return None
    params = dict(p.split("=", 1) for p in trouve.group(1).replace("&amp;", "&").split("&"))
    return params


def test_suivante_puis_precedente_parcourent_chaque_tri(client, monde, personnes):
    client.force_login(monde.user(Role.ANIMATEUR))
    for tri in TRIS_ET_SENS:
        attendu = _ids(client.get(LISTE, {"tri": tri, "taille": 100}))
        assert len(attendu) == len(personnes), tri
        pages, params = [], {"tri": tri, "taille": 2}
        while params is not None:
            response = client.get(LISTE, params)
            assert response.status_code == 200
            pages.append(_ids(response))
            params = _lien(response, "next")
        assert [i for page in pages for i in page] == attendu, tri
        assert [len(p) for p in pages] == [2, 2, 2, 1], tri
        # Et retour, page par page, depuis la dernière.
        for page in reversed(pages[:-1]):
            params = _lien(response, "prev")
            response = client.get(LISTE, params)
            assert _ids(response) == page, tri
        assert _lien(response, "prev") is None, tri
        assert response.context["page_obj"].premiere, tri


def test_recherche_approchee_paginee(client, monde, personnes):
    client.force_login(monde.user(Role.ANIMATEUR))
    tout = _ids(client.get(LISTE, {"q": "martn", "taille": 100}))
    assert len(tout) == 3
    premiere = client.get(LISTE, {"q": "martn", "taille": 2})
    assert premiere.context["approchee"]
    suite = client.get(LISTE, _lien(premiere, "next"))
    assert _ids(premiere) + _ids(suite) == tout


@pytest.mark.parametrize(
    ("tri", "premiere_en_moins"),
    [
        # Hors de l'index (tri par état) : la première page se compte dans sa propre requête ;
        # les suivantes ajoutent le compte borné du titre.
        ("etat", 1),
        # Tout le PLIE par nom, dans un sens ou dans l'autre : la page se lit dans l'index ;
        # chaque page compte à part.
        ("nom", 0),
        ("-nom", 0),
    ],
)
def test_page_suivante_sans_offset_et_en_requetes_constantes(
    client, monde, personnes, tri, premiere_en_moins
):
    """Une requête de plus au plus pour le compte du titre, la même à chaque page suivante."""
    client.force_login(monde.user(Role.ANIMATEUR))
    params = {"statut": Statut.PRESCRIT, "taille": 1, "tri": tri}
    client.get(LISTE, params)  # sessions et cache chauds
    comptes = []
    while params is not None:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LISTE, params)
        comptes.append(len(ctx.captured_queries))
        assert not any("OFFSET" in q["sql"] for q in ctx.captured_queries)
        params = _lien(response, "next")
    assert len(comptes) == 4
    assert comptes[1:] == [comptes[0] + premiere_en_moins] * 3


def test_liens_au_clavier_qui_gardent_les_filtres(client, monde, personnes):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"statut": Statut.PRESCRIT, "tri": "-nom", "taille": 1})
    page = response.content.decode()
    assert '<nav class="plie-pagination" aria-label="Pagination">' in page
    suivante = _lien(response, "next")
    assert suivante["statut"] == Statut.PRESCRIT
    assert (suivante["tri"], suivante["taille"]) == ("-nom", "1")
    deuxieme = client.get(LISTE, suivante)
    assert _lien(deuxieme, "prev")["statut"] == Statut.PRESCRIT
    assert "« Première page" in deuxieme.content.decode()


def _curseur(valeurs) -> str:
    texte = json.dumps(valeurs).encode()
    return base64.urlsafe_b64encode(texte).decode().rstrip("=")


@pytest.mark.parametrize(
    "curseur",
    [
        "abc",
        "!!!",
        "x" * 5000,
        _curseur({"nom": "a"}),
        _curseur(["Martin"]),  # trop court
        _curseur(["Martin", "Léa", "pas un nombre"]),
        _curseur(["Martin", "Léa", True]),
        _curseur(["Martin", "Léa", [1]]),
        _curseur(["Martin", "Léa", 10**30]),
        _curseur(["Mar\x00tin", "Léa", 1]),
        _curseur(["Martin", "Léa", 1.5e300]),
        _curseur(["Martin", "Léa", float("inf")]),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
@pytest.mark.parametrize("sens", ["apres", "avant"])
def test_curseur_illisible_premiere_page(client, monde, personnes, curseur, sens):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {sens: curseur, "taille": 2})
    assert response.status_code == 200
    assert response.context["page_obj"].premiere
    assert len(response.context["lignes"]) == 2
    assert "première page" in response.content.decode()


def test_curseur_au_dela_de_la_fin_premiere_page(client, monde, personnes):
    client.force_login(monde.user(Role.ANIMATEUR))
    response = client.get(LISTE, {"apres": _curseur(["Zzz", "Zzz", 10**9]), "taille": 2})
    assert response.status_code == 200
    assert len(response.context["lignes"]) == 2
    assert "Plus aucune ligne à cet endroit de la liste" in response.content.decode()


def test_curseur_ne_montre_rien_d_un_autre_plie(client, monde, personnes):
    """Un curseur ne fait que filtrer la liste de celui qui le suit : l'animateur du PLIE voisin
    ne voit aucune personne de ce PLIE, fiche comprise (404)."""
    client.force_login(monde.user(Role.ANIMATEUR))
    curseur = _lien(client.get(LISTE, {"taille": 2}), "next")["apres"]
    client.force_login(monde.user(Role.ANIMATEUR, plie=2))
    for sens in ("apres", "avant"):
        response = client.get(LISTE, {sens: curseur})
        assert response.status_code == 200
        assert _ids(response) == []
    fiche = reverse("participants:detail", args=[personnes[0].participant_id])
    assert client.get(fiche).status_code == 404
