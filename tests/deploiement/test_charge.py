"""Le test de charge (`python -m bench --charge`, bench/charge.py) en petit : un vrai serveur
gunicorn sur la base de test, 3 clients pendant 3 secondes, aucune erreur et chaque écriture
annoncée retrouvée en base. Le serveur est un autre processus : données validées
(`transaction=True`)."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string

from bench import charge
from demo.donnees import DEMO_PASSWORD
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Entretien
from tests.deploiement.serveurs import url_de_la_base
from tests.factories import parcours_en
from tests.suivi.conftest import appliquer_referentiel


@pytest.mark.django_db(transaction=True)
def test_trois_utilisateurs_trois_secondes(monde, monkeypatch):
    appliquer_referentiel(monde.plie1)
    dossiers = [parcours_en(monde, Statut.EN_ACCOMPAGNEMENT) for _ in range(2)]
    referent = dossiers[0].referent
    # Haché comme en production (les réglages de test utilisent MD5, inconnu du serveur).
    referent.password = PBKDF2PasswordHasher().encode(DEMO_PASSWORD, get_random_string(16))
    referent.save(update_fields=["password"])
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # la machine mesure en même temps
    avant = Entretien.objects.count()

    resultat = charge.lancer(url_de_la_base(connection.settings_dict), utilisateurs=3, duree=3)

    mesures = resultat.mesures
    assert mesures.erreurs == {}, mesures.exemples
    assert len(mesures.durees["connexion"]) == 6  # page et envoi du formulaire, par client
    for type_ in ("accueil", "participants", "dossier", "écriture"):
        assert mesures.durees.get(type_), type_
    assert mesures.ecritures > 0
    assert resultat.lignes_creees == mesures.ecritures
    assert Entretien.objects.count() - avant == mesures.ecritures
    assert set(Entretien.objects.values_list("parcours", flat=True)) <= {d.pk for d in dossiers}
    assert resultat.reussi
    texte = charge.rapport(resultat, markdown=True)
    assert "| requête | nombre | p50 ms | p95 ms | max ms | erreurs |" in texte
    assert f"lignes créées en base : {mesures.ecritures} ; perdues : 0" in texte


def test_une_erreur_ou_une_ecriture_perdue_fait_echouer():
    mesures = charge.Mesures(ecritures=3)
    mesures.noter("accueil", 12.0)
    assert charge.Resultat(1, 1, "1", mesures, lignes_creees=3).reussi
    perdue = charge.Resultat(1, 1, "1", mesures, lignes_creees=2)
    assert not perdue.reussi
    assert "perdues : 1" in charge.rapport(perdue)
    mesures.noter("dossier", 30.0, "GET /app/participants/parcours/1/ : HTTP 500")
    assert not charge.Resultat(1, 1, "1", mesures, lignes_creees=3).reussi
    assert "HTTP 500" in charge.rapport(charge.Resultat(1, 1, "1", mesures, lignes_creees=3))


def test_centiles():
    valeurs = [float(v) for v in range(1, 101)]
    assert charge.centile(valeurs, 0.5) == 50
    assert charge.centile(valeurs, 0.95) == 95
    assert charge.centile([], 0.95) == 0
