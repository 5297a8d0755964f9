"""Un titre d'onglet par écran (templates/viewflow/base_page.html) : le titre de la barre, suivi de
« — PLIE ». On parcourt la démo comme un nouvel utilisateur, rôle par rôle : depuis l'accueil, les
liens de l'application (deux niveaux) ; chaque écran a son titre, distinct de ceux des autres
écrans, et aucun ne reste sur le titre du site (« PLIE — parcours »)."""

import html as html_lib
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import resolve, reverse

from demo.donnees import COMPTES
from parcours.core.models import User
from tests.test_demo import charger

PAGES_PAR_COMPTE = 40
# Les pages qui téléchargent (PDF, CSV, XLSX) ou qui déconnectent ne sont pas des écrans.
EXCLUS = re.compile(r"(pdf|csv|xlsx|export|telecharger|modele|documents|deconnexion|logout)", re.I)

# Le même formulaire, hors tâche ou dans la tâche du flux : un seul écran.
MEMES_ECRANS = {"sortie:proposer:execute": "emploi:proposer_sortie"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media-titres")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        charger()
        yield
        transaction.set_rollback(True)


def titre(contenu: str) -> str:
    trouve = re.search(r"<title>(.*?)</title>", contenu, re.S)
    return html_lib.unescape(" ".join(trouve.group(1).split())) if trouve else ""


def liens(contenu: str) -> list[str]:
    return [
        html_lib.unescape(h)
        for h in re.findall(r'<a [^>]*href="(/app/[^"#]*)"', contenu)
        if not EXCLUS.search(h)
    ]


def ecran(chemin: str) -> str:
    """L'écran d'une adresse : le nom de sa vue (deux dossiers différents sont le même écran)."""
    return resolve(urlsplit(chemin).path).view_name


def parcourir(client) -> dict[str, str]:
    """{chemin: titre} des écrans ouverts depuis l'accueil (largeur d'abord, deux niveaux)."""
    vus: dict[str, str] = {}
    a_voir = [(reverse("accueil:index"), 0)]
    while a_voir and len(vus) < PAGES_PAR_COMPTE:
        chemin, niveau = a_voir.pop(0)
        cle = urlsplit(chemin).path
        if cle in vus:
            continue
        reponse = client.get(chemin)
        if reponse.status_code != 200 or "text/html" not in reponse.get("Content-Type", ""):
            continue
        contenu = reponse.content.decode()
        vus[cle] = titre(contenu)
        if niveau < 2:
            a_voir.extend((lien, niveau + 1) for lien in liens(contenu))
    return vus


@pytest.mark.parametrize("compte", [c[0] for c in COMPTES])
def test_chaque_ecran_a_son_titre_d_onglet(demo, db, client, compte):
    client.force_login(User.objects.get(username=f"{compte}.agenais"))
    pages = parcourir(client)
    assert pages, compte
    sans_titre = {
        c: t for c, t in pages.items() if not t.endswith(" — PLIE") or t.startswith("PLIE")
    }
    assert not sans_titre, sans_titre
    # Deux écrans différents (deux vues) n'ont jamais le même titre d'onglet.
    ecrans_par_titre = defaultdict(set)
    for chemin, t in pages.items():
        ecrans_par_titre[t].add(MEMES_ECRANS.get(ecran(chemin), ecran(chemin)))
    doublons = {t: e for t, e in ecrans_par_titre.items() if len(e) > 1}
    assert not doublons, doublons
