"""Une relance qui termine un contrat (date de fin ajoutée) : le suivi de ce contrat est annulé
par l'API de viewflow, le minuteur de sortie revu, les autres suivis intacts
(docs/reprise.md, « Le travail reprend »)."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS

from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.emploi.fabrique_emploi import il_y_a
from tests.reprise import export_suivi
from tests.reprise.export import _d
from tests.reprise.test_relance_contrats import premier_passage  # noqa: F401 (fixture)
from workflows.emploi.flows import SuiviContratFlow

pytestmark = pytest.mark.django_db


def test_un_contrat_termine_perd_son_suivi(monde, viesion, premier_passage):  # noqa: F811
    dossier, lignes, parcours = premier_passage
    # Un contrat récent ajouté au parcours en emploi sans contrat : il reçoit son suivi.
    ligne = {
        "N° contrat": "CRECENT",
        "N° parcours": Provenance.objects.get(entite=Entite.PARCOURS, parcours=parcours).source_id,
        "Type de contrat": "CDD",
        "Employeur": "Menuiserie Roux",
        "Entreprise utilisatrice": "",
        "Date de début": _d(il_y_a(months=2)),
        "Date de fin": "",
        "Heures hebdomadaires": "35",
        "Motif de fin": "",
    }
    lignes["contrats"].append(ligne)
    export_suivi.ecrire(dossier, "contrats", lignes["contrats"])
    reprendre(monde.plie1, viesion, dossier)
    suivi = Process.objects.get(
        flow_class=SuiviContratFlow, status=PROCESS.NEW, artifact_object_id=parcours.pk
    )
    autres = set(
        Process.objects.filter(flow_class=SuiviContratFlow, status=PROCESS.NEW)
        .exclude(pk=suivi.pk)
        .values_list("pk", flat=True)
    )
    # La relance suivante le termine hier.
    ligne["Date de fin"] = _d(timezone.localdate() - datetime.timedelta(days=1))
    export_suivi.ecrire(dossier, "contrats", lignes["contrats"])

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.CONTRAT].mis_a_jour == 1
    assert rapport.travail == [
        "Contrats changés : 1 minuteur(s) de sortie revu(s), 0 suivi(s) de contrat créé(s), "
        "1 suivi(s) de contrat terminé annulé(s)"
    ]
    suivi.refresh_from_db()
    assert suivi.status == PROCESS.CANCELED
    assert not suivi.task_set.exclude(status__in=("DONE", "CANCELED")).exists()
    # Les autres suivis ne bougent pas ; relancer ne crée rien de plus.
    encore = Process.objects.filter(flow_class=SuiviContratFlow, status=PROCESS.NEW)
    assert set(encore.values_list("pk", flat=True)) == autres
    relance = reprendre(monde.plie1, viesion, dossier)
    assert relance.travail == []
    assert set(encore.values_list("pk", flat=True)) == autres
