"""Les renouvellements d'une suspension reprise (colonne `fins_prevues_precedentes`) : une
ligne de `RenouvellementSuspension` par fin prévue repoussée, le minuteur sur la dernière fin
prévue, les refus clairs, une relance qui les remplace (docs/reprise.md, « suspensions »)."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement.models import RenouvellementSuspension, Suspension
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.reprise.export import _d, ecrire_csv
from tests.reprise.export_suivi import COLONNES
from tests.reprise.test_entites import export_complet
from tests.suivi.conftest import appliquer_referentiel
from workflows.suivi.flows import SuspensionFlow

pytestmark = pytest.mark.django_db
COLONNE = "Fins prévues précédentes"


@pytest.fixture(autouse=True)
def catalogue(monde):
    appliquer_referentiel(monde.plie1)


def _jour(texte):
    return datetime.datetime.strptime(texte, "%d/%m/%Y").date()


def _ecrire(dossier, veilles):
    for v in veilles:
        v.setdefault(COLONNE, "")
    ecrire_csv(dossier / "veilles.csv", [*COLONNES["veilles"], COLONNE], veilles)


def _suspension(veille) -> Suspension:
    prov = Provenance.objects.get(entite=Entite.SUSPENSION, source_id=veille["N° veille"])
    return Suspension.objects.get(pk=prov.objet_id)


def _minuteur(suspension):
    process = Process.objects.get(
        flow_class=SuspensionFlow,
        status=PROCESS.NEW,
        artifact_object_id=suspension.parcours_id,
    )
    return process.task_set.get(flow_task=SuspensionFlow.attendre, status=STATUS.SCHEDULED)


def test_les_renouvellements_sont_repris_et_le_minuteur_attend_la_derniere_fin(
    monde, viesion, tmp_path
):
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    veille = next(v for v in lignes["veilles"] if not v["Date de fin"])
    debut = _jour(veille["Date de début"])
    fins = [debut + datetime.timedelta(days=90), debut + datetime.timedelta(days=180)]
    veille[COLONNE] = " | ".join(_d(f) for f in fins)
    _ecrire(dossier, lignes["veilles"])

    reprendre(monde.plie1, viesion, dossier)

    suspension = _suspension(veille)
    derniere = _jour(veille["Date de fin prévue"])
    assert (suspension.fin_prevue, suspension.renouvellements) == (derniere, 2)
    journal = list(suspension.journal_renouvellements.order_by("ancienne_fin"))
    assert [(r.ancienne_fin, r.nouvelle_fin) for r in journal] == [
        (fins[0], fins[1]),
        (fins[1], derniere),
    ]
    assert [timezone.localtime(r.le).date() for r in journal] == fins
    assert {r.par.username for r in journal} == {"reprise-viesion"}
    assert timezone.localtime(_minuteur(suspension).scheduled).date() == derniere
    # Les autres suspensions n'en ont pas.
    assert RenouvellementSuspension.objects.count() == 2
    assert Suspension.objects.exclude(pk=suspension.pk).filter(renouvellements__gt=0).count() == 0

    # Relance identique : rien ne change.
    avant = sorted(RenouvellementSuspension.objects.values_list("pk", flat=True))
    rapport = reprendre(monde.plie1, viesion, dossier)
    assert rapport.comptes[Entite.SUSPENSION].inchanges == len(lignes["veilles"])
    assert sorted(RenouvellementSuspension.objects.values_list("pk", flat=True)) == avant

    # Renouvelée encore dans l'autre outil : un renouvellement de plus, le minuteur suit.
    plus_tard = derniere + datetime.timedelta(days=90)
    veille[COLONNE] += f", {veille['Date de fin prévue']}"
    veille["Date de fin prévue"] = _d(plus_tard)
    _ecrire(dossier, lignes["veilles"])
    rapport = reprendre(monde.plie1, viesion, dossier)
    assert rapport.comptes[Entite.SUSPENSION].mis_a_jour == 1
    suspension.refresh_from_db()
    assert (suspension.fin_prevue, suspension.renouvellements) == (plus_tard, 3)
    assert [
        (r.ancienne_fin, r.nouvelle_fin)
        for r in suspension.journal_renouvellements.order_by("ancienne_fin")
    ] == [(fins[0], fins[1]), (fins[1], derniere), (derniere, plus_tard)]
    assert timezone.localtime(_minuteur(suspension).scheduled).date() == plus_tard


def test_chaque_renouvellement_fautif_est_refuse(monde, viesion, tmp_path):
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    # Une veille en cours refusée fait aussi refuser son parcours (sans suspension en cours) :
    # seuls les refus de la colonne sont comparés.
    levees = lignes["veilles"]
    numeros = [2, 3, 4, 5]
    levees[0][COLONNE] = "31-12-2024"
    debut_1 = _jour(levees[1]["Date de début"])
    levees[1][COLONNE] = _d(debut_1 - datetime.timedelta(days=1))
    debut = _jour(levees[2]["Date de début"])
    levees[2][COLONNE] = (
        f"{_d(debut + datetime.timedelta(days=60))}, {_d(debut + datetime.timedelta(days=30))}"
    )
    fin_3 = levees[3]["Date de fin prévue"]
    levees[3][COLONNE] = fin_3
    veilles = lignes["veilles"]
    _ecrire(dossier, veilles)

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    colonne = f"veilles.csv, ligne {{}}, colonne « {COLONNE} » : "
    assert [str(r) for r in refus.value.rapport.refus if r.colonne == COLONNE] == [
        colonne.format(numeros[0]) + "date « 31-12-2024 » au mauvais format (attendu : 31/03/2024)",
        colonne.format(numeros[1])
        + f"fin prévue précédente ({debut_1 - datetime.timedelta(days=1):%d/%m/%Y}) avant le "
        f"début ({debut_1:%d/%m/%Y})",
        colonne.format(numeros[2]) + "un renouvellement repousse la fin prévue : le "
        f"{debut + datetime.timedelta(days=30):%d/%m/%Y} ne vient pas après le "
        f"{debut + datetime.timedelta(days=60):%d/%m/%Y} (dates dans l'ordre, la dernière étant "
        "la fin prévue)",
        colonne.format(numeros[3])
        + f"un renouvellement repousse la fin prévue : le {fin_3} ne vient pas après le "
        f"{fin_3} (dates dans l'ordre, la dernière étant la fin prévue)",
    ]
    assert not Suspension.objects.exists()
