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


# — La participation à l'action suit les étapes qui la nomment —


def _participation(dossier, operations):
    from parcours.accompagnement.models import ParticipationFse

    return ParticipationFse.objects.filter(parcours=dossier, operation=operations.action).first()


def test_une_etape_prevue_ne_fait_pas_encore_participer(monde, operations, dossier):
    _ajouter(dossier, monde.user(Role.REFERENT), operation_id=operations.action.pk)
    assert _participation(dossier, operations) is None


def test_la_participation_a_l_action_suit_ses_etapes(monde, operations, dossier):
    import datetime

    from parcours.accompagnement.models import QuestionnaireFSE
    from parcours.fse.enums import MotifFinParticipation

    referent = monde.user(Role.REFERENT)
    jour = timezone.localdate()
    premiere = suivi.ajouter_etape(
        dossier,
        referent,
        type_code="accueil",
        date_debut=jour - datetime.timedelta(days=20),
        statut="en_cours",
        operation_id=operations.action.pk,
    )
    participation = _participation(dossier, operations)
    assert (participation.date_entree, participation.date_sortie) == (premiere.date_debut, None)
    assert participation.structure == operations.action.structure_porteuse
    # Son questionnaire est la copie de celui de l'accompagnement (rien n'est redemandé).
    copie = QuestionnaireFSE.objects.get(participation=participation)
    assert copie.recopie_de is not None and copie.date_entree == premiere.date_debut
    seconde = suivi.ajouter_etape(
        dossier,
        referent,
        type_code="accueil",
        date_debut=jour - datetime.timedelta(days=5),
        statut="en_cours",
        operation_id=operations.action.pk,
    )
    # Les deux étapes finies : la participation se clôt à la fin de la dernière.
    premiere = suivi.modifier_etape(
        premiere,
        referent,
        version=premiere.version,
        statut="realisee",
        date_fin=jour - datetime.timedelta(days=10),
    )
    assert _participation(dossier, operations).date_sortie is None  # la seconde est en cours
    suivi.modifier_etape(
        seconde, referent, version=seconde.version, statut="abandonnee", date_fin=jour
    )
    participation = _participation(dossier, operations)
    assert (participation.date_entree, participation.date_sortie, participation.motif_fin) == (
        jour - datetime.timedelta(days=20),
        jour,
        MotifFinParticipation.FIN_ACTION,
    )
    # L'étape change d'action (plus aucune) : la participation se recalcule sur la seconde seule.
    suivi.modifier_etape(premiere, referent, version=premiere.version, operation_id=None)
    assert _participation(dossier, operations).date_entree == jour - datetime.timedelta(days=5)
    seconde.refresh_from_db()
    suivi.modifier_etape(seconde, referent, version=seconde.version, operation_id=None)
    assert _participation(dossier, operations) is None
    # Le questionnaire de l'engagement, lui, est toujours là.
    assert QuestionnaireFSE.objects.filter(parcours=dossier, recopie_de__isnull=True).exists()


def test_les_participants_de_l_action_sont_exportables(monde, operations, dossier):
    """L'action liste ses participants comme un accompagnement : l'export Ma Démarche FSE de
    l'action compte le parcours."""
    from parcours.accompagnement.models import ParticipationFse

    suivi.ajouter_etape(
        dossier,
        monde.user(Role.REFERENT),
        type_code="accueil",
        date_debut=timezone.localdate(),
        statut="en_cours",
        operation_id=operations.action.pk,
    )
    from parcours.reporting.ma_demarche_fse.controle import participations_a_exporter
    from parcours.reporting.periode import periode

    jour = timezone.localdate()
    entrees = participations_a_exporter(operations.action, periode(jour, jour))
    assert [p.parcours_id for p in entrees] == [dossier.pk]
    assert ParticipationFse.objects.get(operation=operations.action).ouverte
