"""Les suspensions reprises écrivent leurs lignes de journal du parcours (`suspendre`, puis
`reprendre` si levée), marquées « repris », à leurs dates d'origine, au nom du compte de la
reprise ; une relance identique n'écrit rien, un contrôle rien non plus (docs/reprise.md)."""

import datetime

import pytest
from django.utils import timezone

from parcours.accompagnement.models import TransitionParcours
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.service import reprendre
from tests.reprise import export_suivi
from tests.reprise.export import _d
from tests.reprise.test_entites import export_complet
from tests.suivi.conftest import appliquer_referentiel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(monde):
    appliquer_referentiel(monde.plie1)


def _jour(texte):
    return datetime.datetime.strptime(texte, "%d/%m/%Y").date()


def _journal():
    return TransitionParcours.objects.filter(transition__in=("suspendre", "reprendre"))


def test_chaque_suspension_reprise_a_ses_lignes_de_journal(monde, viesion, tmp_path):
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    reprendre(monde.plie1, viesion, dossier, dry_run=True)
    assert not _journal().exists()

    reprendre(monde.plie1, viesion, dossier)

    levees = [v for v in lignes["veilles"] if v["Date de fin"]]
    assert levees and len(levees) < len(lignes["veilles"])
    assert _journal().count() == len(lignes["veilles"]) + len(levees)
    for veille in lignes["veilles"]:
        parcours = Provenance.objects.get(
            entite=Entite.PARCOURS, source_id=veille["N° parcours"]
        ).parcours
        journal = list(_journal().filter(parcours=parcours).order_by("at").select_related("par"))
        origine = f"Repris de ABC VIeSION (suspension {veille['N° veille']}) : "
        suspendre = journal[0]
        assert (suspendre.transition, suspendre.source, suspendre.target) == (
            "suspendre",
            "en_accompagnement",
            "suspendu",
        )
        assert timezone.localtime(suspendre.at).date() == _jour(veille["Date de début"])
        assert suspendre.par.username == "reprise-viesion"
        motif = "Santé" if veille["Motif de la veille"] == "Santé" else "Problèmes familiaux"
        assert suspendre.motif.startswith(origine)
        assert motif.split()[0].lower() in suspendre.motif.lower()
        if veille["Date de fin"]:
            reprise = journal[1]
            assert (reprise.transition, reprise.source, reprise.target) == (
                "reprendre",
                "suspendu",
                "en_accompagnement",
            )
            assert timezone.localtime(reprise.at).date() == _jour(veille["Date de fin"])
            assert reprise.motif == origine + "levée"
        else:
            assert len(journal) == 1

    # Relance identique : pas une ligne de plus.
    avant = sorted(_journal().values_list("pk", flat=True))
    reprendre(monde.plie1, viesion, dossier)
    assert sorted(_journal().values_list("pk", flat=True)) == avant

    # Une levée corrigée dans l'autre outil : la ligne qui manque est ajoutée, rien n'est effacé.
    levee = levees[0]
    nouvelle = _jour(levee["Date de fin"]) - datetime.timedelta(days=3)
    levee["Date de fin"] = _d(nouvelle)
    export_suivi.ecrire(dossier, "veilles", lignes["veilles"])
    rapport = reprendre(monde.plie1, viesion, dossier)
    assert rapport.comptes[Entite.SUSPENSION].mis_a_jour == 1
    ajoutees = _journal().exclude(pk__in=avant)
    (ajoutee,) = ajoutees
    assert (ajoutee.transition, timezone.localtime(ajoutee.at).date()) == ("reprendre", nouvelle)
    assert _journal().filter(pk__in=avant).count() == len(avant)
