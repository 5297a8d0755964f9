"""Deux serveurs d'application (gunicorn, un worker chacun), une base : un parcours qui passe de
l'un à l'autre avec le même cookie de session (docs/deploiement.md).

Les serveurs sont d'autres processus : ils ne voient que ce qui est validé en base, d'où
`transaction=True` (les données sont créées validées, puis la base est vidée après le test).
"""

import datetime
import re
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse
from django.utils.crypto import get_random_string

from bench.production import RACINE
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import PreuveEtape
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.models import Trace
from tests.deploiement.serveurs import Navigateur, environnement, serveurs, url_de_la_base
from tests.documents import echantillons
from tests.factories import parcours_en
from tests.suivi.conftest import appliquer_referentiel

MOT_DE_PASSE = "deux-serveurs-une-base"
LIEN_PREUVE = re.compile(r"/app/documents/preuve-etape/(\d+)/")


@pytest.fixture
def dossier_du_referent(monde):
    appliquer_referentiel(monde.plie1)
    parcours = parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
    referent = parcours.referent
    # Haché comme en production (les réglages de test utilisent MD5, inconnu des serveurs).
    referent.password = PBKDF2PasswordHasher().encode(MOT_DE_PASSE, get_random_string(16))
    referent.save(update_fields=["password"])
    etape = suivi.ajouter_etape(
        parcours,
        referent,
        type_code="bilan-competences",
        date_debut=datetime.date(2024, 3, 1),
        statut="en_cours",
    )
    return referent, parcours, etape


@pytest.fixture
def production(tmp_path):
    """L'environnement de production et ses fichiers statiques rassemblés (liens symboliques)."""
    env = environnement(url_de_la_base(connection.settings_dict), tmp_path)
    collecte = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--link"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collecte.returncode == 0, collecte.stderr
    return env


@pytest.mark.django_db(transaction=True)
def test_connexion_sur_l_un_depot_sur_l_autre(tmp_path, production, dossier_du_referent):
    referent, parcours, etape = dossier_du_referent
    page_etape = reverse("suivi:etape", args=[parcours.pk, etape.pk])
    navigateur = Navigateur()
    with serveurs(2, production, tmp_path) as (premier, second):
        assert premier != second
        for port in (premier, second):
            reponse, contenu = navigateur.get(port, "/pret/")
            assert (reponse.status, contenu) == (200, b"pret\n")

        # Connexion sur le premier : la session est écrite en base.
        reponse, _ = navigateur.post(
            premier, "/connexion/", {"username": referent.username, "password": MOT_DE_PASSE}
        )
        assert reponse.status == 302, reponse.status
        assert "sessionid" in navigateur.cookies

        # Sur le second, avec le même cookie : la page de l'étape, puis le dépôt d'une preuve.
        reponse, contenu = navigateur.get(second, page_etape)
        assert reponse.status == 200
        assert etape.titre in contenu.decode()
        reponse, _ = navigateur.post(
            second,
            page_etape,
            {"section": "preuve", "type_preuve": "attestation"},
            {"fichier": ("attestation.pdf", echantillons.PDF)},
        )
        assert reponse.status == 302, reponse.status
        preuve = PreuveEtape.objects.get(etape=etape)

        # Retour sur le premier : la preuve est listée et son document téléchargé.
        reponse, contenu = navigateur.get(premier, page_etape)
        assert reponse.status == 200
        assert LIEN_PREUVE.search(contenu.decode()).group(1) == str(preuve.pk)
        reponse, contenu = navigateur.get(premier, f"/app/documents/preuve-etape/{preuve.pk}/")
        assert reponse.status == 200
        assert contenu == echantillons.PDF
        assert Trace.objects.filter(
            type=TypeTrace.TELECHARGEMENT, user=referent, objet_id=str(preuve.pk)
        ).exists()

        # Les fichiers statiques, servis par WhiteNoise sur chaque serveur.
        for port in (premier, second):
            reponse, contenu = navigateur.get(port, "/static/admin/css/base.css")
            assert reponse.status == 200
            assert b"body" in contenu

        # Déconnexion sur le second : le premier ne connaît plus la session.
        reponse, _ = navigateur.post(second, "/deconnexion/", {}, formulaire=page_etape)
        assert reponse.status == 302
        reponse, _ = navigateur.get(premier, page_etape)
        assert reponse.status == 302
        assert reponse.getheader("Location").startswith("/connexion/")
