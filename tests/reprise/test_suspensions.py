"""La reprise des suspensions (veille) : écrites, relancées sans doublon, contrôlées contre
l'état des parcours, et le minuteur de fin prévue de chaque suspension en cours, posé dans le
même passage ou suivant la relance (docs/reprise.md, « suspensions »)."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours, Suspension
from parcours.core.enums import Role
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.reprise import export_suivi
from tests.reprise.export import _d
from tests.reprise.test_entites import _etat, export_complet
from tests.suivi.conftest import appliquer_referentiel
from workflows.suivi.flows import SuspensionFlow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(monde):
    appliquer_referentiel(monde.plie1)


def _repris(source_id) -> Parcours:
    return Provenance.objects.get(entite=Entite.PARCOURS, source_id=source_id).parcours


def _suivis(parcours):
    return Process.objects.filter(
        flow_class=SuspensionFlow, artifact_object_id=parcours.pk, status=PROCESS.NEW
    )


def _minuteur(process):
    return process.task_set.get(flow_task=SuspensionFlow.attendre, status=STATUS.SCHEDULED)


def _a_7h(texte):
    jour = datetime.datetime.strptime(texte, "%d/%m/%Y").date()
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(7, 0)))


def _veille(parcours, debut, fin_prevue, fin="", motif="Santé", precision="", sid=None):
    return {
        "N° veille": sid or f"V{parcours}-{debut}",
        "N° parcours": parcours,
        "Date de début": debut,
        "Date de fin prévue": fin_prevue,
        "Date de fin": fin,
        "Motif de la veille": motif,
        "Précision": precision,
    }


def _en(lignes, statut):
    return [d for d in lignes["parcours"] if d["Statut"] == statut and d["N° parcours"][0] == "R"]


def test_suspensions_reprises_avec_le_minuteur_de_leur_fin_prevue(monde, viesion, tmp_path):
    """Dans le même passage que leurs parcours : chaque parcours en veille a sa suspension en
    cours et le `SuspensionFlow` qui attend sa fin prévue (7 h) ; une veille levée n'en a pas."""
    lignes = export_complet(tmp_path / "export", monde)
    assert reprendre(monde.plie1, viesion, tmp_path / "export", dry_run=True)
    assert not Suspension.objects.exists() and not Process.objects.exists()

    rapport = reprendre(monde.plie1, viesion, tmp_path / "export")

    assert rapport.comptes[Entite.SUSPENSION].crees == len(lignes["veilles"]) > 0
    veilles = {v["N° parcours"]: v for v in lignes["veilles"]}
    for dossier in _en(lignes, "En veille"):
        parcours, veille = _repris(dossier["N° parcours"]), veilles[dossier["N° parcours"]]
        suspension = parcours.suspensions.en_cours().get()
        assert (suspension.motif, suspension.par.username) == ("sante", "reprise-viesion")
        process = _suivis(parcours).get()
        assert process.data == {"suspension": suspension.pk}
        minuteur = _minuteur(process)
        assert minuteur.scheduled == _a_7h(veille["Date de fin prévue"])
    for dossier in _en(lignes, "En parcours"):
        parcours = _repris(dossier["N° parcours"])
        levee = parcours.suspensions.get()
        assert (levee.levee_le, levee.levee_par.username) == (
            datetime.datetime.strptime(
                veilles[dossier["N° parcours"]]["Date de fin"], "%d/%m/%Y"
            ).date(),
            "reprise-viesion",
        )
        assert not _suivis(parcours).exists()
    # Relancer le même export : rien de plus.
    avant = (_etat(), Suspension.objects.count(), Process.objects.count(), Task.objects.count())
    relance = reprendre(monde.plie1, viesion, tmp_path / "export")
    assert relance.comptes[Entite.SUSPENSION].inchanges == len(lignes["veilles"])
    assert relance.travail == []
    apres = (_etat(), Suspension.objects.count(), Process.objects.count(), Task.objects.count())
    assert apres == avant


def test_chaque_suspension_fautive_est_refusee_et_rien_n_est_ecrit(monde, viesion, tmp_path):
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    veille, veille_2 = (d["N° parcours"] for d in _en(lignes, "En veille"))
    suivi, suivi_2 = (d["N° parcours"] for d in _en(lignes, "En parcours"))
    emploi, emploi_2 = _en(lignes, "En emploi")
    # Les parcours sont entrés avant fin 2023 : les veilles de 2024 commencent après l'entrée.
    lignes["veilles"] = [
        _veille(veille, "01/03/2024", "01/06/2099"),  # ligne 2 : juste
        _veille(veille_2, "01/03/2024", "01/06/2024", "01/05/2024"),  # levée : plus en veille
        _veille(suivi, "01/03/2024", "01/02/2024", "01/04/2024"),  # fin prévue avant le début
        _veille(suivi_2, "01/03/2024", "01/06/2024", "01/02/2024"),  # levée avant le début
        _veille(veille, "01/04/2024", "01/06/2024", "01/05/2024"),  # chevauche la ligne 2
        _veille(emploi["N° parcours"], "01/03/2024", "01/06/2099"),  # en cours, pas en veille
        _veille("RZZZZZ", "01/03/2024", "01/06/2024", "01/05/2024"),  # parcours inconnu
        _veille(suivi, "01/07/2024", "01/08/2024", "01/08/2024", motif="Vacances"),
        _veille(suivi, "01/09/2024", "01/10/2024", "01/10/2024", motif="Autre"),
        _veille(emploi_2["N° parcours"], "01/01/2015", "01/02/2015", "01/02/2015"),
    ]
    export_suivi.ecrire(dossier, "veilles", lignes["veilles"])
    ligne_parcours = lignes["parcours"].index(_en(lignes, "En veille")[1]) + 2
    entree = emploi_2["Date d'entrée"]

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    suspendu = (
        "parcours suspendu sans suspension en cours (levée vide) dans le fichier des suspensions"
    )
    assert {str(r) for r in refus.value.rapport.refus} == {
        "veilles.csv, ligne 4, colonne « Date de fin prévue » : fin prévue (01/02/2024) avant "
        "le début (01/03/2024)",
        "veilles.csv, ligne 5, colonne « Date de fin » : levée (01/02/2024) avant le début "
        "(01/03/2024)",
        "veilles.csv, ligne 6, colonne « Date de début » : chevauche la suspension de la ligne 2 "
        "dans le même parcours",
        "veilles.csv, ligne 7, colonne « Date de fin » : suspension en cours (sans levée) sur un "
        f"parcours « {Statut.EN_EMPLOI.label} » : seul un parcours suspendu en a une",
        "veilles.csv, ligne 8, colonne « N° parcours » : parcours « RZZZZZ » absent des parcours "
        "repris",
        "veilles.csv, ligne 9, colonne « Motif de la veille » : valeur « Vacances » sans "
        "correspondance",
        "veilles.csv, ligne 10, colonne « Précision » : précision obligatoire pour le motif "
        "« autre »",
        f"veilles.csv, ligne 11, colonne « Date de début » : début (01/01/2015) avant l'entrée "
        f"du parcours ({entree})",
        f"parcours.csv, ligne {ligne_parcours}, colonne « Statut » : {suspendu}",
    }
    assert rapport_refuses(refus) == (8, 1)
    assert not Parcours.objects.exists() and not Suspension.objects.exists()


def rapport_refuses(refus):
    comptes = refus.value.rapport.comptes
    return comptes[Entite.SUSPENSION].refuses, comptes[Entite.PARCOURS].refuses


def test_une_suspension_qui_chevauche_une_suspension_en_base_est_refusee(monde, viesion, tmp_path):
    """Saisie à l'écran après un premier passage : un second export ne peut pas la chevaucher."""
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    reprendre(monde.plie1, viesion, dossier)
    dossier_suivi = _en(lignes, "En parcours")[0]["N° parcours"]
    referent = monde.user(Role.REFERENT)
    Suspension.objects.create(
        parcours=_repris(dossier_suivi),
        motif="famille",
        debut=datetime.date(2025, 1, 10),
        fin_prevue=datetime.date(2025, 4, 10),
        levee_le=datetime.date(2025, 3, 1),
        levee_par=referent,
        par=referent,
    )
    lignes["veilles"].append(_veille(dossier_suivi, "01/02/2025", "01/03/2025", "15/02/2025"))
    export_suivi.ecrire(dossier, "veilles", lignes["veilles"])

    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, dossier)

    assert [str(r) for r in refus.value.rapport.refus] == [
        f"veilles.csv, ligne {len(lignes['veilles']) + 1}, colonne « Date de début » : "
        "chevauche la suspension du 10/01/2025 en base"
    ]


def test_une_relance_deplace_le_minuteur_ou_remplace_la_suspension(monde, viesion, tmp_path):
    """Renouvelée dans l'autre outil : le même processus attend la nouvelle fin prévue. Levée
    puis suivie d'une nouvelle veille (le parcours reste en veille) : le processus de l'ancienne
    est annulé, la nouvelle a le sien."""
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    reprendre(monde.plie1, viesion, dossier)
    renouvelee, remplacee = _en(lignes, "En veille")
    anciens = {
        d["N° parcours"]: _suivis(_repris(d["N° parcours"])).get() for d in _en(lignes, "En veille")
    }
    veilles = {v["N° parcours"]: v for v in lignes["veilles"]}
    nouvelle_fin = _d(timezone.localdate() + datetime.timedelta(days=120))
    veilles[renouvelee["N° parcours"]]["Date de fin prévue"] = nouvelle_fin
    ancienne = veilles[remplacee["N° parcours"]]
    hier = _d(timezone.localdate() - datetime.timedelta(days=1))
    ancienne["Date de fin"] = hier
    lignes["veilles"].append(_veille(remplacee["N° parcours"], hier, nouvelle_fin, sid="VNEW"))
    export_suivi.ecrire(dossier, "veilles", lignes["veilles"])

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.SUSPENSION].mis_a_jour == 2
    assert rapport.comptes[Entite.SUSPENSION].crees == 1
    assert rapport.travail == [
        "Suspensions changées : 1 processus créé(s), 1 minuteur(s) déplacé(s), "
        "1 processus annulé(s)"
    ]
    process = _suivis(_repris(renouvelee["N° parcours"])).get()
    assert process.pk == anciens[renouvelee["N° parcours"]].pk
    assert _minuteur(process).scheduled == _a_7h(nouvelle_fin)
    annule = anciens[remplacee["N° parcours"]]
    annule.refresh_from_db()
    assert annule.status == PROCESS.CANCELED
    parcours = _repris(remplacee["N° parcours"])
    assert parcours.statut == "suspendu"
    nouveau = _suivis(parcours).get()
    assert nouveau.data == {"suspension": parcours.suspensions.en_cours().get().pk}
    assert _minuteur(nouveau).scheduled == _a_7h(nouvelle_fin)


def test_les_suspensions_reprises_apres_leurs_parcours_ont_leur_minuteur(monde, viesion, tmp_path):
    """Parcours repris d'abord sans leurs veilles (pas de minuteur), puis un fichier des seules
    veilles : chaque parcours en veille reçoit son processus. Un parcours en veille dont le
    fichier ne donne qu'une veille levée est refusé sur sa dernière ligne."""
    premier, second = tmp_path / "1", tmp_path / "2"
    lignes = export_complet(premier, monde, fichiers=("structures", "utilisateurs", "contrats"))
    reprendre(monde.plie1, viesion, premier)
    en_veille = [_repris(d["N° parcours"]) for d in _en(lignes, "En veille")]
    assert not any(_suivis(p).exists() for p in en_veille)
    export_complet(second, monde, fichiers=("veilles",))
    (second / "participants.csv").unlink()
    (second / "parcours.csv").unlink()
    ligne = next(v for v in lignes["veilles"] if not v["Date de fin"])
    ligne["Date de fin"] = _d(timezone.localdate())
    export_suivi.ecrire(second, "veilles", lignes["veilles"])
    with pytest.raises(RepriseRefusee) as refus:
        reprendre(monde.plie1, viesion, second)
    numero = lignes["veilles"].index(ligne) + 2
    assert [str(r) for r in refus.value.rapport.refus] == [
        f"veilles.csv, ligne {numero}, colonne « Date de fin » : parcours suspendu sans "
        "suspension en cours (levée vide) dans le fichier des suspensions"
    ]
    ligne["Date de fin"] = ""
    export_suivi.ecrire(second, "veilles", lignes["veilles"])

    rapport = reprendre(monde.plie1, viesion, second)

    assert rapport.travail == [
        f"Suspensions changées : {len(en_veille)} processus créé(s), 0 minuteur(s) déplacé(s), "
        "0 processus annulé(s)"
    ]
    for parcours in en_veille:
        suspension = parcours.suspensions.en_cours().get()
        assert _suivis(parcours).get().data == {"suspension": suspension.pk}


def test_un_second_fichier_n_apporte_que_les_suspensions_nouvelles(monde, viesion, tmp_path):
    """Les parcours en veille sont dans le passage, leur suspension en cours en base (reprise
    avant) : un fichier qui n'apporte qu'une veille nouvelle d'un autre parcours est accepté."""
    dossier = tmp_path / "export"
    lignes = export_complet(dossier, monde)
    reprendre(monde.plie1, viesion, dossier)
    suivi = _en(lignes, "En parcours")[0]
    entree = datetime.datetime.strptime(suivi["Date d'entrée"], "%d/%m/%Y").date()
    nouvelle = _veille(
        suivi["N° parcours"],
        _d(entree + datetime.timedelta(days=10)),
        _d(entree + datetime.timedelta(days=40)),
        _d(entree + datetime.timedelta(days=30)),
        motif="Problèmes familiaux",
        sid="VNOUVELLE",
    )
    export_suivi.ecrire(dossier, "veilles", [nouvelle])

    rapport = reprendre(monde.plie1, viesion, dossier)

    assert rapport.comptes[Entite.SUSPENSION].crees == 1
    assert _repris(suivi["N° parcours"]).suspensions.count() == 2
    for dossier_en_veille in _en(lignes, "En veille"):
        parcours = _repris(dossier_en_veille["N° parcours"])
        assert parcours.suspensions.en_cours().count() == 1
        assert _suivis(parcours).count() == 1
