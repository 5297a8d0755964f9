"""Le générateur de jeu national (demo/jeu) : un petit jeu à trois niveaux de copies (équipes,
dossiers, PLIE) est valide : comptes de chaque rôle, processus et tâches viewflow chargeables,
pages qui répondent, étanchéité entre PLIE copiés ; une base non vide est refusée."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from viewflow.workflow.models import Process, Task

from demo.donnees import COMPTES
from demo.jeu.echelle import Echelle
from demo.jeu.generateur import generer
from parcours.accompagnement.models import Parcours
from parcours.clauses.models import Positionnement
from parcours.core.models import PLIE, Membership, Structure, User
from parcours.participants.models import Participant

pytestmark = pytest.mark.django_db

PETIT = Echelle(
    participants=40 * 2 * 2,
    copies_plie=2,
    dossiers_gabarit=20,
    copies_dossiers=2,
    equipes=2,
    copies_structures=2,
)


@pytest.fixture(scope="module")
def jeu_du_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Généré une fois pour le module (le gabarit passe par les services : plusieurs secondes),
    dans une transaction annulée à la fin."""
    media = tmp_path_factory.mktemp("media-jeu")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield generer(PETIT, ecrire=lambda message: None)
        transaction.set_rollback(True)


@pytest.fixture
def jeu(jeu_du_module, db):
    return jeu_du_module


def test_proportions_du_jeu(jeu):
    assert PLIE.objects.count() == 4
    assert Participant.objects.count() == jeu["participants_participant"] >= 4 * 20 * 2
    # Deux équipes par PLIE : chaque compte de la démo existe en deux exemplaires ; plus le
    # contrôleur de la démo (hors COMPTES : son adhésion est datée), copié avec chaque équipe.
    controleurs = User.objects.filter(username__startswith="controleur").count()
    assert controleurs == 4 * 2
    assert User.objects.count() == 4 * 13 * 2 + controleurs
    assert Structure.objects.count() == 4 * 9 * 2
    for plie in PLIE.objects.all():
        roles = set(Membership.objects.filter(structure__plie=plie).values_list("role", flat=True))
        assert roles == {role for _, role, *_ in COMPTES} | {"controleur"}
    assert User.objects.filter(username="referent-e1.agenais-1").exists()


def test_processus_et_taches_se_chargent(jeu):
    assert Process.objects.count() > 100
    for process in Process.objects.all():
        assert process.flow_class is not None
        if process.artifact_object_id is not None:
            assert process.artifact is not None
    for task in Task.objects.select_related("process"):
        assert task.flow_task is not None


def test_dossiers_copies_dans_leur_plie(jeu):
    # Le référent d'une copie de dossier est un compte de son équipe, dans le PLIE du parcours.
    for parcours in Parcours.objects.exclude(referent=None).select_related("referent"):
        assert Membership.objects.filter(
            user=parcours.referent, structure__plie=parcours.plie_id
        ).exists()
    # Une candidature copiée garde le PLIE de son marché (recopié pour la politique d'accès).
    assert Positionnement.objects.filter(besoin__marche__plie__code="agenais-1").exists()
    assert not Positionnement.objects.exclude(plie=F("besoin__marche__plie"))


def test_pages_et_etancheite(jeu, client):
    referent = User.objects.get(username="referent.agenais")
    client.force_login(referent)
    assert client.get(reverse("accueil:index")).status_code == 200
    assert client.get(reverse("participants:index")).status_code == 200
    sien = Parcours.objects.filter(referent=referent, statut="en_accompagnement").first()
    assert client.get(reverse("participants:dossier", args=[sien.pk])).status_code == 200
    ailleurs = Parcours.objects.filter(plie__code="agenais-1").first()
    assert client.get(reverse("participants:dossier", args=[ailleurs.pk])).status_code == 404


def test_base_non_vide_refusee(jeu):
    avant = Participant.objects.count()
    with pytest.raises(CommandError, match="--vider"):
        call_command("generer_jeu", echelle=200, stdout=io.StringIO())
    assert Participant.objects.count() == avant


def test_echelle_absurde_refusee():
    with pytest.raises(CommandError, match="positif"):
        call_command("generer_jeu", echelle=0, stdout=io.StringIO())


def test_proportions_nationales():
    national = Echelle.pour(100_000)
    assert national.plie == 20
    assert national.dossiers_gabarit * national.copies_dossiers * national.plie == 100_000
    assert 1_900 <= national.equipes * 13 * national.plie <= 2_200
    petite = Echelle.pour(1_000)
    assert petite.plie == 2
    assert petite.dossiers_gabarit * petite.copies_dossiers * petite.plie == 1_000
