"""Qui peut préparer l'engagement : le référent du parcours (ou son remplaçant) et l'animation."""

import pytest
from django.utils import timezone

from parcours.accompagnement import engagement
from parcours.accompagnement.chemins import QUESTIONNAIRE_TYPE
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import (
    ContratEngagement,
    PieceEntree,
    QuestionnaireFSE,
)
from parcours.core.enums import Role
from parcours.core.errors import TransitionInterdite, TransitionNonAutorisee
from tests.engagement.conftest import appliquer_referentiel, fichier
from tests.factories import ParcoursFactory, parcours_en

pytestmark = pytest.mark.django_db


def _services(parcours, contrat):
    """Chaque service d'écriture, prêt à appeler avec un acteur."""
    return {
        "generer_contrat": lambda par: engagement.generer_contrat(parcours, par),
        "ouvrir_contrat": lambda par: engagement.ouvrir_contrat(parcours, par),
        "enregistrer_signatures": lambda par: engagement.enregistrer_signatures(
            contrat, par, {"participant": timezone.localdate()}, copie_signee=fichier()
        ),
        "enregistrer_questionnaire": lambda par: engagement.enregistrer_questionnaire(
            parcours, par, QUESTIONNAIRE_TYPE
        ),
        "deposer_piece": lambda par: engagement.deposer_piece(
            parcours, "justificatif-domicile", fichier(), par
        ),
    }


SERVICES = [
    "generer_contrat",
    "ouvrir_contrat",
    "enregistrer_signatures",
    "enregistrer_questionnaire",
    "deposer_piece",
]


@pytest.fixture
def dossier(monde, admis):
    appliquer_referentiel(
        monde.plie1,
        {
            "signataires": ["participant", "referent"],
            "pieces": [
                {"code": "justificatif-domicile", "libelle": "Justificatif", "obligatoire": True}
            ],
        },
    )
    contrat = ContratEngagement.objects.create(
        parcours=admis, signataires=["participant", "referent"]
    )
    return admis, contrat


def _rien_ecrit(parcours, contrat):
    contrat.refresh_from_db()
    assert not contrat.fichier and not contrat.copie_signee
    assert contrat.date_signature_participant is None
    assert not QuestionnaireFSE.objects.filter(parcours=parcours).exists()
    assert not PieceEntree.objects.filter(parcours=parcours).exists()


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    ("role", "structure", "plie"),
    [
        (Role.REFERENT, "b", 1),  # un autre référent du même PLIE
        (Role.PRESCRIPTEUR, "a", 1),  # le prescripteur du dossier
        (Role.COMMISSION, "a", 1),
        (Role.DIRECTION, "a", 1),  # pilote, mais ne fait pas le premier entretien
        (Role.CRE, "a", 1),
        (Role.ANIMATEUR, "a", 2),  # animateur d'un autre PLIE
        (Role.REFERENT, "a", 2),
    ],
)
def test_acteur_sans_droit_refuse(monde, dossier, service, role, structure, plie):
    parcours, contrat = dossier
    par = monde.user(role, structure, plie)
    with pytest.raises(TransitionNonAutorisee, match="seuls le référent du parcours et l'équipe"):
        _services(parcours, contrat)[service](par)
    _rien_ecrit(parcours, contrat)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("qui", ["referent", "animateur", "remplacant"])
def test_referent_animateur_et_remplacant_autorises(monde, dossier, service, qui):
    from guardian.shortcuts import assign_perm

    parcours, contrat = dossier
    if qui == "referent":
        par = parcours.referent
    elif qui == "animateur":
        par = monde.user(Role.ANIMATEUR)
    else:
        par = monde.user(Role.REFERENT, "b")
        assign_perm("accompagnement.change_parcours", par, parcours)
        assign_perm("accompagnement.view_parcours", par, parcours)
    assert _services(parcours, contrat)[service](par) is not None


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("statut", [Statut.PRESCRIT, Statut.EN_COMMISSION_ENTREE, Statut.SORTI])
def test_hors_de_la_periode_d_engagement_refuse(monde, service, statut):
    if statut == Statut.PRESCRIT:
        parcours = ParcoursFactory(plie=monde.plie1, territoire=monde.territoire1)
    else:
        parcours = parcours_en(monde, statut)
    contrat = ContratEngagement.objects.filter(parcours=parcours).first()
    if contrat is None:
        contrat = ContratEngagement.objects.create(
            parcours=parcours, signataires=["participant", "referent"]
        )
    with pytest.raises(TransitionInterdite, match="l'engagement se prépare une fois"):
        _services(parcours, contrat)[service](monde.user(Role.ANIMATEUR))
