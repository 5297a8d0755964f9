"""Une étape nomme l'action financée (opération FSE+) qui la paie (docs/fse.md) : seulement une
action du PLIE du parcours ; le changement est journalisé ; l'écran de l'étape le propose."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.accompagnement import suivi
from parcours.accompagnement.models import JournalEtape
from parcours.core.enums import Role
from parcours.fse.models import OperationFse
from tests.suivi.conftest import appliquer_referentiel

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(monde, operations):
    appliquer_referentiel(monde.plie1)
    return operations.engage()


def _ajouter(dossier, par, **kwargs):
    return suivi.ajouter_etape(
        dossier, par, type_code="accueil", date_debut=timezone.localdate(), **kwargs
    )


def test_une_etape_nomme_l_action_financee(monde, operations, dossier):
    etape = _ajouter(dossier, monde.user(Role.REFERENT), operation_id=operations.action.pk)
    assert etape.operation == operations.action
    assert list(operations.action.etapes.all()) == [etape]


@pytest.mark.parametrize("laquelle", ["a", "voisine"])
def test_seulement_une_action_du_plie(monde, operations, dossier, laquelle):
    """L'accompagnement n'est pas une action ; l'action d'un autre PLIE non plus."""
    operation = getattr(operations, laquelle)
    if laquelle == "voisine":
        operation = OperationFse.objects.create(
            plie=monde.plie2,
            numero="202199999",
            libelle="Action du voisin",
            type="action",
            structure_porteuse=operations.voisine.structure_porteuse,
            debut=operations.voisine.debut,
        )
    with pytest.raises(ValidationError) as exc:
        _ajouter(dossier, monde.user(Role.REFERENT), operation_id=operation.pk)
    assert exc.value.message_dict["operation_id"] == [
        "Cette opération n'est pas une action financée de ce PLIE."
    ]


def test_changer_l_action_est_journalise(monde, operations, dossier):
    referent = monde.user(Role.REFERENT)
    etape = _ajouter(dossier, referent)
    etape = suivi.modifier_etape(
        etape, referent, version=etape.version, operation_id=operations.action.pk
    )
    assert etape.operation_id == operations.action.pk
    journal = JournalEtape.objects.filter(etape=etape).order_by("-pk").first()
    assert journal.changements == {"operation_id": [None, operations.action.pk]}


def test_l_ecran_d_ajout_propose_les_actions_du_plie(client, monde, operations, dossier):
    client.force_login(monde.user(Role.REFERENT))
    url = reverse("suivi:etapes", args=[dossier.pk])
    reponse = client.get(url)
    choix = dict(reponse.context["form"].fields["operation_id"].choices)
    assert choix == {
        "": "— Aucune —",
        operations.action.pk: "202100003 — Mises en situation de travail",
    }
    reponse = client.post(
        url,
        {
            "type_code": "accueil",
            "date_debut": f"{timezone.localdate()}",
            "statut": "prevue",
            "operation_id": str(operations.action.pk),
        },
    )
    assert reponse.status_code == 302
    assert dossier.etapes.get().operation == operations.action
