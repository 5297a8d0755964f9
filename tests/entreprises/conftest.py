import pytest

from parcours.accompagnement.enums import Statut
from parcours.core.enums import Role
from parcours.emploi.enums import TypeContrat
from parcours.entreprises.enums import CanalDiffusion, TrancheEffectif
from parcours.entreprises.services import (
    collecter_offre,
    creer_entreprise,
    diffuser_offre,
    qualifier_offre,
)
from tests.factories import parcours_en

# Des SIRET valides (clé de Luhn), distincts.
SIRETS = ["73282932000074", "44306184100047", "55208131766522", "40483304800022"]


def une_entreprise(monde, plie=1, siret=None, **donnees):
    from parcours.entreprises.models import Entreprise

    deja = Entreprise.objects.filter(plie=monde.plie(plie)).count()
    donnees = {
        "raison_sociale": "Bâtiments de l'Agenais",
        "siret": siret or SIRETS[deja],
        "secteur": "43.21A",
        "tranche_effectif": TrancheEffectif.PETITE,
        **donnees,
    }
    return creer_entreprise(monde.plie(plie), par=monde.user(Role.CRE, plie=plie), **donnees)


def une_offre(monde, etat="collectee", plie=1, entreprise=None, **donnees):
    """Une offre amenée à `etat` (collectee, qualifiee, diffusee) par les vrais services."""
    cre = monde.user(Role.CRE, plie=plie)
    entreprise = entreprise or une_entreprise(monde, plie=plie)
    donnees = {
        "intitule": "Maçon·ne VRD",
        "type_contrat": TypeContrat.CDD,
        "lieu": "Agen",
        "heures_hebdo": 35,
        "nb_postes": 1,
        **donnees,
    }
    offre = collecter_offre(entreprise, par=cre, **donnees)
    if etat in ("qualifiee", "diffusee"):
        qualifier_offre(offre, par=cre)
    if etat == "diffusee":
        diffuser_offre(
            offre,
            par=cre,
            canal=CanalDiffusion.APPLICATION,
            referents=[monde.user(Role.REFERENT, plie=plie)],
        )
    offre.refresh_from_db()
    return offre


def suivi_a_prendre(parcours, plie=None, droit=None):
    """Une tâche à prendre dans la file du droit `droit` (par défaut celle des CRE, suivi dans
    l'emploi) du PLIE `plie` (par défaut celui du dossier)."""
    from viewflow.workflow.models import Process, Task
    from viewflow.workflow.status import STATUS

    from workflows.access import SUIVRE_EMPLOI_PLIE
    from workflows.emploi.flows import SuiviContratFlow

    process = Process.objects.create(flow_class=SuiviContratFlow, artifact=parcours)
    return Task.objects.create(
        process=process,
        flow_task=SuiviContratFlow.appel,
        owner_permission=droit or SUIVRE_EMPLOI_PLIE,
        owner_permission_obj_pk=str(plie or parcours.plie_id),
        status=STATUS.NEW,
    )


@pytest.fixture
def accompagne(monde):
    """Un parcours en accompagnement du PLIE 1, suivi par le référent de la structure A."""
    return parcours_en(monde, Statut.EN_ACCOMPAGNEMENT)
