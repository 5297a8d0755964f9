"""`envoyer_relances` par lots : le nombre de requêtes ne dépend pas du nombre de tâches."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workflows.test_echeances_relances import vieillir
from tests.workflows.test_entree_recevabilite import prescrire, tache
from workflows.models import Relance
from workflows.relances import envoyer_relances

pytestmark = pytest.mark.django_db


def copies_en_retard(modele, n):
    """n tâches en retard de plus, copies de `modele` (chacune dans son processus)."""
    for _ in range(n):
        process = modele.process
        process.pk = None
        process.save()
        copie = type(modele).objects.get(pk=modele.pk)
        copie.pk, copie.process = None, process
        copie.save()
        vieillir(copie, 11)


def test_requetes_independantes_du_nombre_de_taches(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    modele = tache(parcours, "verifier_recevabilite")

    def requetes(n):
        copies_en_retard(modele, n)
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as capture:
            assert envoyer_relances() == n
        assert len(mail.outbox) == n
        assert {tuple(m.to) for m in mail.outbox} == {(acteurs.animateur.email,)}
        return len(capture)

    assert requetes(3) == requetes(30)
    assert Relance.objects.count() == 33
    assert envoyer_relances() == 0


def test_les_lots_couvrent_toutes_les_taches(client, acteurs):
    parcours = prescrire(client, acteurs.prescripteur)
    copies_en_retard(tache(parcours, "verifier_recevabilite"), 5)
    assert envoyer_relances(lot=2) == 5
    assert Relance.objects.count() == 5
