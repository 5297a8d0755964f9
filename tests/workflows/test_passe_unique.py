"""Une seule passe à la fois sur plusieurs nœuds : deux boucles lancées en même temps sur la
même base (deux fils, deux connexions PostgreSQL) ne font tourner chaque passe qu'une fois."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from parcours.core.models import PassePeriodique
from workflows.management.commands import envoyer_relances

COMMANDES = ("envoyer_relances", "verifier_alertes", "expirer_delegations", "executer_minuteries")


def _passes(commande):
    ligne = PassePeriodique.objects.filter(commande=commande).first()
    return ligne.nombre if ligne else 0


@pytest.mark.django_db(transaction=True)
def test_deux_noeuds_une_seule_passe(monkeypatch):
    entree, liberer = threading.Event(), threading.Event()
    premiere = StringIO()

    def passe_longue(*args, **kwargs):
        entree.set()
        assert liberer.wait(30)
        return 0

    monkeypatch.setattr(envoyer_relances, "envoyer_relances", passe_longue)

    def noeud_a():
        try:
            call_command("envoyer_relances", stdout=premiere)
        finally:
            connection.close()

    fil = threading.Thread(target=noeud_a)
    fil.start()
    try:
        assert entree.wait(30)
        # Le nœud B, sur sa propre connexion, trouve la passe tenue : il sort sans rien faire.
        seconde = StringIO()
        call_command("envoyer_relances", stdout=seconde)
        assert "déjà en cours sur un autre nœud" in seconde.getvalue()
        # Les autres commandes ont leur propre verrou : elles ne sont pas bloquées.
        call_command("expirer_delegations", stdout=StringIO())
        assert _passes("expirer_delegations") == 1
    finally:
        liberer.set()
        fil.join(30)
    assert "0 relance(s) envoyée(s)." in premiere.getvalue()
    assert _passes("envoyer_relances") == 1
    # Passe finie, verrou rendu : la passe suivante tourne.
    call_command("envoyer_relances", stdout=StringIO())
    assert _passes("envoyer_relances") == 2


@pytest.mark.django_db(transaction=True)
def test_la_boucle_lancee_deux_fois_en_meme_temps(monkeypatch):
    """Chaque commande de la boucle de `config/run.py`, lancée par deux nœuds en même temps :
    chaque passe tourne exactement une fois par tour, l'autre nœud sort proprement."""
    from config.run import COMMANDES_PERIODIQUES

    assert set(COMMANDES_PERIODIQUES) == set(COMMANDES)
    barriere = threading.Barrier(2)
    sorties = {"a": [], "b": []}
    erreurs = []

    def noeud(nom):
        try:
            for commande in COMMANDES_PERIODIQUES:
                barriere.wait(30)
                sortie = StringIO()
                call_command(commande, stdout=sortie)
                sorties[nom].append(sortie.getvalue())
        except Exception as exc:
            erreurs.append(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=noeud, args=(n,)) for n in sorties]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(60)
    assert erreurs == []
    for i, commande in enumerate(COMMANDES_PERIODIQUES):
        sautees = sum("déjà en cours" in sorties[n][i] for n in sorties)
        # Une passe par tour et par commande, que l'autre nœud l'ait vue tenue ou finie.
        assert _passes(commande) == 2 - sautees, commande
        assert _passes(commande) >= 1


@pytest.mark.django_db(transaction=True)
def test_purger_sessions_chaque_jour_une_passe_a_la_fois():
    """`clearsessions` planifié (issue 11) : `purger_sessions`, dans les commandes quotidiennes
    de `config/run.py`, supprime les sessions échues et garde les autres ; deux nœuds qui la
    lancent en même temps ne font qu'une passe (l'autre sort sans rien faire)."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from config.run import COMMANDES_QUOTIDIENNES
    from parcours.core.periodiques import passe_unique

    assert "purger_sessions" in COMMANDES_QUOTIDIENNES
    maintenant = timezone.now()
    for cle, delta in (("echue1", -1), ("echue2", -30), ("valide", 1)):
        Session.objects.create(
            session_key=cle,
            session_data="",
            expire_date=maintenant + datetime.timedelta(hours=delta),
        )
    # Un autre nœud tient la passe (verrou pris sur une autre connexion) : rien n'est fait.
    tenue, liberer = threading.Event(), threading.Event()

    def autre_noeud():
        try:
            with passe_unique("purger_sessions"):
                tenue.set()
                assert liberer.wait(30)
        finally:
            connection.close()

    fil = threading.Thread(target=autre_noeud)
    fil.start()
    try:
        assert tenue.wait(30)
        sortie = StringIO()
        call_command("purger_sessions", stdout=sortie)
        assert "déjà en cours sur un autre nœud" in sortie.getvalue()
        assert Session.objects.count() == 3
    finally:
        liberer.set()
        fil.join(30)
    sortie = StringIO()
    call_command("purger_sessions", stdout=sortie)
    assert "2 session(s) échue(s) supprimée(s)." in sortie.getvalue()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["valide"]
    assert _passes("purger_sessions") == 2
