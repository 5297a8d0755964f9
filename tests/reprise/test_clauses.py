"""La reprise d'un export façon ABC Clause : donneurs d'ordre, opérations, marchés, besoins (lots),
bénéficiaires externes, positionnements et embauches, heures mensuelles (docs/reprise.md)."""

import csv
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from parcours.clauses.heures import importer_heures
from parcours.clauses.models import (
    Besoin,
    CandidatExterne,
    DonneurOrdre,
    HeuresRealisees,
    JournalHeures,
    Lot,
    Marche,
    Operation,
    Positionnement,
    TransitionPositionnement,
)
from parcours.clauses.rapports.heures import bilan_heures
from parcours.core.enums import Role
from parcours.entreprises.models import Entreprise
from parcours.reprise.enums import Entite
from parcours.reprise.models import Provenance, ProvenanceClause
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.reprise import export_clauses

pytestmark = pytest.mark.django_db


def _etat():
    return tuple(
        m.objects.count()
        for m in (
            DonneurOrdre,
            Operation,
            Marche,
            Lot,
            Besoin,
            CandidatExterne,
            Positionnement,
            TransitionPositionnement,
            HeuresRealisees,
            JournalHeures,
            Entreprise,
            ProvenanceClause,
        )
    )


def _heures():
    return sorted(
        HeuresRealisees.objects.order_by().values_list(
            "marche__numero",
            "participant_id",
            "candidat_externe_id",
            "mois",
            "heures",
            "siret",
            "entreprise_id",
            "source",
        ),
        key=str,
    )


def test_reprise_abc_clause_comptes_et_objets(monde, abc, fichiers, tmp_path):
    dossier = export_clauses.ecrire_export(tmp_path / "abc", fichiers)
    rapport = reprendre(monde.plie1, abc, dossier)

    attendus = {
        Entite.DONNEUR_ORDRE: 5,
        Entite.OPERATION: 10,
        Entite.MARCHE: 20,
        Entite.BESOIN: 40,
        Entite.CANDIDAT_EXTERNE: 10,
        Entite.POSITIONNEMENT: 40 + 12,
        Entite.HEURES: 40 * 3,
    }
    for entite, nombre in attendus.items():
        comptes = rapport.comptes[entite]
        assert (comptes.crees, comptes.mis_a_jour, comptes.refuses) == (nombre, 0, 0), entite
    assert rapport.refus == []
    assert Marche.objects.filter(plie=monde.plie1).count() == 20
    assert Lot.objects.count() == 20  # deux lots sur chaque marché impair
    assert Besoin.objects.filter(lot__isnull=False).count() == 20
    marche = Marche.objects.get(numero="2024-BAT-003")
    assert marche.heures_prevues == Decimal("1200.5")
    assert marche.attributaire.siret == export_clauses.siret_marche(3)
    assert marche.operation.donneur_ordre.nom == "Donneur 3"
    assert marche.plie == monde.plie1
    # Sous-traitant : l'attributaire du marché suivant ; des heures déclarées par lui.
    sous_traitant = Marche.objects.get(numero="2024-BAT-005").attributaire
    assert list(Marche.objects.get(numero="2024-BAT-004").sous_traitants.all()) == [sous_traitant]
    assert not marche.sous_traitants.exists()
    assert HeuresRealisees.objects.filter(
        marche__numero="2024-BAT-004", entreprise=sous_traitant
    ).exists()
    statuts = Counter(Positionnement.objects.values_list("statut", flat=True))
    # Le PLIE du marché, recopié sur chaque candidature (politique d'accès sans jointure).
    assert Positionnement.objects.filter(plie=monde.plie1).count() == 52
    assert not Positionnement.objects.exclude(plie=F("besoin__marche__plie"))
    assert statuts["embauchee"] == 40 and len(statuts) == 7  # chaque statut est repris
    assert not Positionnement.objects.filter(statut="embauchee", date_embauche__isnull=True)
    # Une ligne « repris » par candidature au-delà de « proposée », au nom de l'import.
    assert TransitionPositionnement.objects.filter(transition="repris").count() == 52 - 2
    assert CandidatExterne.objects.filter(rsa=True).count() == 4
    # Les heures portent le journal de l'import, au nom de la reprise.
    assert JournalHeures.objects.count() == 120
    assert set(HeuresRealisees.objects.values_list("source", flat=True)) == {"import"}
    assert HeuresRealisees.objects.filter(participant__isnull=False).count() == 90
    # Rien dans l'autre PLIE.
    assert not Marche.objects.filter(plie=monde.plie2).exists()


def test_heures_reprises_identiques_a_un_import_d_heures(
    monde, abc, fichiers, facilitateur, tmp_path
):
    """Mêmes lignes et mêmes bilans que `importer_heures` avec le fichier d'heures équivalent."""
    sans_heures = export_clauses.ecrire_export(tmp_path / "base", fichiers, sauf=("heures",))
    reprendre(monde.plie1, abc, sans_heures)
    marches = Marche.objects.filter(plie=monde.plie1)

    contenu = _fichier_importer_heures(monde.plie1, fichiers["heures"])
    importer_heures(monde.plie1, contenu, "heures.csv", par=facilitateur)
    par_import, bilan_import = _heures(), bilan_heures(marches)
    JournalHeures.objects.all().delete()
    HeuresRealisees.objects.all().delete()

    rapport = reprendre(monde.plie1, abc, export_clauses.ecrire_export(tmp_path / "abc", fichiers))
    assert rapport.comptes[Entite.HEURES].crees == 120
    assert _heures() == par_import
    assert bilan_heures(marches) == bilan_import


def _fichier_importer_heures(plie, lignes) -> bytes:
    """Le fichier de l'import des heures (docs/heures.md) qui dit la même chose."""
    participants = dict(
        Provenance.objects.filter(plie=plie, entite=Entite.PARTICIPANT).values_list(
            "source_id", "participant_id"
        )
    )
    externes = dict(
        ProvenanceClause.objects.filter(plie=plie, entite=Entite.CANDIDAT_EXTERNE).values_list(
            "source_id", "objet_id"
        )
    )
    numeros = {f"MA{m}": f"2024-BAT-{m:03d}" for m in range(20)}
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    ecrivain.writerow(["marche", "siret", "personne", "mois", "heures"])
    for ligne in lignes:
        if ligne["N° VIeSION"]:
            personne = f"P{participants[ligne['N° VIeSION']]:06d}"
        else:
            personne = f"EXT-{externes[ligne['Code bénéficiaire']]:06d}"
        mm, aaaa = ligne["Mois"].split("/")
        ecrivain.writerow(
            [
                numeros[ligne["Code marché"]],
                ligne["SIRET employeur"],
                personne,
                f"{aaaa}-{mm}",
                ligne["Heures réalisées"],
            ]
        )
    return sortie.getvalue().encode()


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_relance_inchangee_puis_mise_a_jour(monde, abc, fichiers, tmp_path, format):
    dossier = export_clauses.ecrire_export(tmp_path / "abc", fichiers, format)
    reprendre(monde.plie1, abc, dossier)
    avant = _etat()

    rapport = reprendre(monde.plie1, abc, dossier)
    assert _etat() == avant
    for entite in (Entite.DONNEUR_ORDRE, Entite.MARCHE, Entite.POSITIONNEMENT, Entite.HEURES):
        comptes = rapport.comptes[entite]
        assert comptes.crees == comptes.mis_a_jour == 0 and comptes.inchanges > 0

    # Un marché renommé, une candidature embauchée, un mois d'heures corrigé, un nouveau donneur.
    fichiers["marches"][0]["Intitulé"] = "Gros œuvre, tranche 2"
    fichiers["positionnements"][-1]["Statut"] = "Positionnée"
    fichiers["heures"][0]["Heures réalisées"] = "10"
    fichiers["donneurs_ordre"].append(
        {"Code donneur d'ordre": "DO9", "Donneur d'ordre": "Office HLM", "Type": "Bailleur"}
    )
    rapport = reprendre(
        monde.plie1, abc, export_clauses.ecrire_export(tmp_path / "abc2", fichiers, format)
    )
    assert rapport.comptes[Entite.MARCHE].mis_a_jour == 1
    assert rapport.comptes[Entite.POSITIONNEMENT].mis_a_jour == 1
    relance = TransitionPositionnement.objects.get(motif__contains="par une relance")
    assert (relance.source, relance.target) == ("non_eligible", "positionnee")
    assert relance.positionnement.statut == "positionnee"
    assert (rapport.comptes[Entite.HEURES].mis_a_jour, rapport.comptes[Entite.HEURES].crees) == (
        1,
        0,
    )
    assert rapport.comptes[Entite.DONNEUR_ORDRE].crees == 1
    assert Marche.objects.get(numero="2024-BAT-000").intitule == "Gros œuvre, tranche 2"
    assert HeuresRealisees.objects.filter(heures=10).count() == 1
    assert JournalHeures.objects.filter(ancien__isnull=False, nouveau=10).count() == 1
    assert HeuresRealisees.objects.count() == avant[8]


def test_controle_sans_enregistrement(monde, abc, fichiers, tmp_path):
    avant = _etat()
    rapport = reprendre(
        monde.plie1, abc, export_clauses.ecrire_export(tmp_path / "abc", fichiers), dry_run=True
    )
    assert rapport.dry_run and rapport.comptes[Entite.HEURES].crees == 120
    assert rapport.comptes[Entite.MARCHE].crees == 20
    assert _etat() == avant


def test_commande_abc_clause_controle_puis_reprise_et_rapport_xlsx(monde, fichiers, tmp_path):
    from openpyxl import load_workbook

    dossier = export_clauses.ecrire_export(tmp_path / "abc", fichiers, "xlsx")
    args = [
        "reprendre",
        "--plie",
        monde.plie1.code,
        "--mapping",
        str(export_clauses.CORRESPONDANCE_ABC_CLAUSE),
        str(dossier),
    ]
    sortie = io.StringIO()
    call_command(*args, "--dry-run", stdout=sortie)
    assert "Heures mensuelles : 120 créé(s)" in sortie.getvalue()
    assert not Marche.objects.exists()

    classeur = tmp_path / "rapport.xlsx"
    sortie = io.StringIO()
    call_command(*args, "--rapport", str(classeur), stdout=sortie)
    assert "Marchés : 20 créé(s), 0 mis à jour, 0 inchangé(s), 0 refusé(s)" in sortie.getvalue()
    lignes = [
        [c for c in ligne if c is not None]
        for ligne in load_workbook(classeur).worksheets[0].iter_rows(values_only=True)
    ]
    assert any("Heures mensuelles" in ligne and 120 in ligne for ligne in lignes), lignes


@pytest.mark.parametrize("plie", [1, 2])
def test_les_personnes_d_un_autre_plie_sont_inconnues(monde, abc, fichiers, tmp_path, plie):
    """Les n° VIeSION repris dans le PLIE 1 n'existent pas pour le PLIE 2 (provenance par PLIE)."""
    autre = monde.plie2 if plie == 1 else monde.plie1
    if plie == 1:
        facilitateur = monde.user(Role.FACILITATEUR, plie=2)
        for besoin in fichiers["besoins"]:
            besoin["Facilitateur"] = facilitateur.username
    else:
        # Le PLIE 2 a repris les personnes ; le PLIE 1 reprend des clauses qui les désignent.
        Provenance.objects.filter(plie=monde.plie1).update(plie=monde.plie2)
    dossier = export_clauses.ecrire_export(tmp_path / "abc", fichiers)
    with pytest.raises(RepriseRefusee) as exc:
        reprendre(autre, abc, dossier)
    refus = [r for r in exc.value.rapport.refus if r.colonne == "N° VIeSION"]
    assert refus and all("absent(e) des fichiers" in r.raison for r in refus)
    assert not Marche.objects.exists()


def test_les_candidatures_en_cours_reprennent_au_bon_noeud(
    client, monde, abc, fichiers, facilitateur, tmp_path
):
    """Une candidature reprise en cours a son flux, la tâche de son état assignée au facilitateur
    du besoin, qu'il exécute comme une autre ; une relance ne crée pas de second flux."""
    from viewflow.workflow.status import STATUS

    from workflows import access as flux
    from workflows.clauses.flows import CandidatureFlow
    from workflows.clauses.reprise import NOEUDS

    dossier = export_clauses.ecrire_export(tmp_path / "abc", fichiers)
    reprendre(monde.plie1, abc, dossier)
    en_cours = Positionnement.objects.filter(statut__in=list(NOEUDS))
    assert en_cours.count() == 8  # deux par état en cours
    taches = CandidatureFlow.task_class.objects.filter(process__flow_class=CandidatureFlow)
    assert taches.count() == 8
    for tache in taches.select_related("process"):
        p = Positionnement.objects.get(pk=tache.process.artifact_object_id)
        assert tache.flow_task == NOEUDS[p.statut]
        assert (tache.owner, tache.status) == (facilitateur, STATUS.ASSIGNED)
    assert set(flux.mes_taches(facilitateur)) == set(taches)
    # Rien pour les candidatures closes (embauchée, non retenue, non éligible).
    assert not taches.filter(
        process__artifact_object_id__in=Positionnement.objects.exclude(
            statut__in=list(NOEUDS)
        ).values("pk")
    ).exists()

    # Le facilitateur positionne une candidature reprise « éligibilité vérifiée ».
    tache = taches.filter(flow_task=CandidatureFlow.positionner).first()
    client.force_login(facilitateur)
    accueil = client.get(reverse("accueil:index")).content.decode()
    assert "Positionner auprès de l&#x27;entreprise" in accueil
    url = tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])
    assert client.post(url, {"motif": "CV transmis"}).status_code == 302
    p = Positionnement.objects.get(pk=tache.process.artifact_object_id)
    assert p.statut == "positionnee"
    assert taches.filter(
        flow_task=CandidatureFlow.decision_entreprise, process=tache.process
    ).exists()

    reprendre(monde.plie1, abc, dossier)
    # Les processus des candidatures seulement : les parcours repris ont aussi les leurs.
    candidatures = CandidatureFlow.process_class.objects.filter(flow_class=CandidatureFlow)
    assert candidatures.count() == 8


def test_une_candidature_d_un_autre_plie_reste_hors_de_la_boite(monde, abc, fichiers, tmp_path):
    from workflows import access as flux

    reprendre(monde.plie1, abc, export_clauses.ecrire_export(tmp_path / "abc", fichiers))
    assert not list(flux.mes_taches(monde.user(Role.FACILITATEUR, plie=2)))


def test_une_correspondance_sans_clauses_ne_les_cherche_ni_ne_les_compte(viesion, abc):
    # La correspondance VIeSION décrit les entités du suivi, aucune des clauses sociales.
    assert {Entite.PARTICIPANT, Entite.PARCOURS, Entite.ETAPE} <= set(viesion.entites)
    assert not {Entite.MARCHE, Entite.HEURES, Entite.POSITIONNEMENT} & set(viesion.entites)
    assert {Entite.MARCHE, Entite.HEURES} <= set(abc.entites)
