"""Une relance qui ne change que les contrats d'un parcours en emploi : son minuteur de sortie
suit la nouvelle date prévisionnelle et le contrat nouveau a son suivi, sans rien dupliquer
(docs/reprise.md, « Le travail reprend »)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.emploi.fabrique_emploi import SORTIE, il_y_a
from tests.reprise import export_suivi
from tests.reprise.export import _d
from tests.reprise.test_entites import export_complet
from tests.suivi.conftest import appliquer_referentiel
from workflows.emploi.flows import SortieFlow, SuiviContratFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def premier_passage(monde, viesion, tmp_path):
    """Un export complet repris, dont un parcours en emploi sans contrat ; rend (dossier, lignes,
    ce parcours)."""
    version = appliquer_referentiel(monde.plie1)
    version.contenu["sortie"] = SORTIE  # « CDI ou CDD, 6 mois chez le même employeur »
    version.save(update_fields=["contenu"])
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    sans = lignes["contrats"].pop(0)
    export_suivi.ecrire(dossier, "contrats", lignes["contrats"])
    reprendre(monde.plie1, viesion, dossier)
    parcours = Provenance.objects.get(
        entite=Entite.PARCOURS, source_id=sans["N° parcours"]
    ).parcours
    assert parcours.statut == "en_emploi"
    return dossier, lignes, parcours


def _processus(flux, parcours=None):
    processus = Process.objects.filter(flow_class=flux, status=PROCESS.NEW)
    return processus if parcours is None else processus.filter(artifact_object_id=parcours.pk)


def _minuteur(parcours):
    return Task.objects.get(
        process__in=_processus(SortieFlow, parcours),
        flow_task=SortieFlow.attente,
        status=STATUS.SCHEDULED,
    )


def _etat():
    return (
        Process.objects.count(),
        Task.objects.count(),
        sorted(Task.objects.filter(status=STATUS.SCHEDULED).values_list("pk", "scheduled")),
    )


def test_un_contrat_ajoute_a_son_suivi_et_deplace_le_minuteur(monde, viesion, premier_passage):
    dossier, lignes, parcours = premier_passage
    # Sans contrat : la situation est revérifiée dans un mois.
    avant = _minuteur(parcours)
    assert avant.scheduled - timezone.now() < datetime.timedelta(days=32)
    assert not _processus(SuiviContratFlow, parcours).exists()
    suivis, sorties = _processus(SuiviContratFlow).count(), _processus(SortieFlow).count()
    debut = il_y_a(months=2)
    lignes["contrats"].append(
        {
            "N° contrat": "CNOUVEAU",
            "N° parcours": Provenance.objects.get(
                entite=Entite.PARCOURS, parcours=parcours
            ).source_id,
            "Type de contrat": "CDI",
            "Employeur": "Menuiserie Roux",
            "Entreprise utilisatrice": "",
            "Date de début": _d(debut),
            "Date de fin": "",
            "Heures hebdomadaires": "35",
            "Motif de fin": "",
        }
    )
    export_suivi.ecrire(dossier, "contrats", lignes["contrats"])

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.CONTRAT].crees == 1
    assert rapport.travail == [
        "Contrats changés : 1 minuteur(s) de sortie revu(s), 1 suivi(s) de contrat créé(s)"
    ]
    # Le même minuteur, déplacé à la veille des 6 mois du CDI (moteur de sortie), à 7 h.
    minuteur = _minuteur(parcours)
    jour = debut + relativedelta(months=6, days=-1)
    assert minuteur.pk == avant.pk
    assert timezone.localtime(minuteur.scheduled).replace(tzinfo=None) == datetime.datetime.combine(
        jour, datetime.time(7, 0)
    )
    suivi = _processus(SuiviContratFlow, parcours).get()
    assert suivi.data["contrat"] == parcours.contrats.get().pk
    # Un suivi de plus en tout, aucun autre processus.
    assert _processus(SuiviContratFlow).count() == suivis + 1
    assert _processus(SortieFlow).count() == sorties
    assert not Process.objects.filter(status=PROCESS.CANCELED).exists()

    # Relancer le même export : rien ne bouge, pas de second suivi.
    etat = _etat()
    relance = reprendre(monde.plie1, viesion, dossier)
    assert relance.comptes[Entite.CONTRAT].inchanges == len(lignes["contrats"])
    assert relance.travail == []
    assert _etat() == etat


def test_un_contrat_modifie_revoit_le_minuteur_sans_second_suivi(monde, viesion, premier_passage):
    """Le contrat d'un autre parcours en emploi change (début plus récent) : son minuteur suit,
    aucun suivi de contrat n'est recréé pour lui."""
    dossier, lignes, _ = premier_passage
    contrat = lignes["contrats"][0]
    parcours = Provenance.objects.get(
        entite=Entite.PARCOURS, source_id=contrat["N° parcours"]
    ).parcours
    debut = il_y_a(months=1)
    contrat["Date de début"] = _d(debut)
    export_suivi.ecrire(dossier, "contrats", lignes["contrats"])
    suivis = Process.objects.filter(flow_class=SuiviContratFlow).count()

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.CONTRAT].mis_a_jour == 1
    jour = debut + relativedelta(months=6, days=-1)
    assert timezone.localtime(_minuteur(parcours).scheduled).date() == jour
    # Le contrat tenu dans l'autre outil n'avait plus de suivi à faire ; son nouveau début en
    # ouvre un, créé une fois.
    assert Process.objects.filter(flow_class=SuiviContratFlow).count() == suivis + 1
    reprendre(monde.plie1, viesion, dossier)
    assert Process.objects.filter(flow_class=SuiviContratFlow).count() == suivis + 1
