"""Chaque sorte de ligne refusée d'un export ABC Clause : fichier, ligne, colonne, raison ; rien
n'est enregistré (tout ou rien). Et le coût d'une reprise d'heures : requêtes en lots."""

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parcours.clauses.models import HeuresRealisees, Positionnement
from parcours.core.enums import Role
from parcours.reprise.enums import Entite
from parcours.reprise.rapport import RepriseRefusee
from parcours.reprise.service import reprendre
from tests.clauses.factories import MarcheFactory
from tests.reprise import export_clauses
from tests.reprise.test_clauses import _etat

pytestmark = pytest.mark.django_db


def _heures_hors_embauche(f):
    # La personne de la ligne 2 est embauchée sur MA0, pas sur MA5.
    f["heures"][0].update({"Code marché": "MA5", "SIRET employeur": export_clauses.siret_marche(5)})


def _externe_hors_embauche(f):
    ligne = next(h for h in f["heures"] if h["Code bénéficiaire"])
    ligne.update({"Code marché": "MA7", "SIRET employeur": export_clauses.siret_marche(7)})


def _index_externe(f):
    return next(i for i, h in enumerate(f["heures"]) if h["Code bénéficiaire"]) + 2


# (modification, fichier, ligne, colonne, extrait de la raison)
CAS = {
    "heures d'une personne non embauchée sur le marché": (
        _heures_hors_embauche,
        "heures.csv",
        2,
        "N° VIeSION",
        "pas embauchée sur le marché « 2024-BAT-005 »",
    ),
    "heures d'un candidat externe non embauché": (
        _externe_hors_embauche,
        "heures.csv",
        None,
        "Code bénéficiaire",
        "pas embauchée sur le marché « 2024-BAT-007 »",
    ),
    "heures avant l'embauche": (
        lambda f: f["heures"][0].update({"Mois": "12/2023"}),
        "heures.csv",
        2,
        "Mois",
        "hors de la période du marché",
    ),
    "heures illisibles": (
        lambda f: f["heures"][0].update({"Heures réalisées": "beaucoup"}),
        "heures.csv",
        2,
        "Heures réalisées",
        "pas un nombre d'heures",
    ),
    "plus de 250 h dans le mois": (
        lambda f: f["heures"][0].update({"Heures réalisées": "300"}),
        "heures.csv",
        2,
        "Heures réalisées",
        "plus de 250 h dans le mois",
    ),
    "même marché, personne et mois deux fois": (
        lambda f: f["heures"][1].update({"Mois": f["heures"][0]["Mois"]}),
        "heures.csv",
        3,
        "Mois",
        "deux fois dans le fichier (comme la ligne 2)",
    ),
    "mois illisible": (
        lambda f: f["heures"][0].update({"Mois": "mars"}),
        "heures.csv",
        2,
        "Mois",
        "format attendu AAAA-MM",
    ),
    "valeur sans correspondance": (
        lambda f: f["marches"][0].update({"Modalité de la clause": "Clause magique"}),
        "marches.csv",
        2,
        "Modalité de la clause",
        "« Clause magique » sans correspondance",
    ),
    "date au mauvais format": (
        lambda f: f["operations"][0].update({"Date de début": "2024-01-01"}),
        "operations.csv",
        2,
        "Date de début",
        "au mauvais format (attendu : 31/03/2024)",
    ),
    "fin avant le début": (
        lambda f: f["operations"][0].update({"Date de fin": "01/01/2020"}),
        "operations.csv",
        2,
        "Date de fin",
        "fin (01/01/2020) avant le début",
    ),
    "référence inconnue": (
        lambda f: f["positionnements"][0].update({"Code besoin": "BE99"}),
        "positionnements.csv",
        2,
        "Code besoin",
        "besoin « BE99 » absent(e)",
    ),
    "participant et candidat externe à la fois": (
        lambda f: f["positionnements"][0].update({"Code bénéficiaire": "BN0000"}),
        "positionnements.csv",
        2,
        "N° VIeSION",
        "soit un participant, soit un candidat externe",
    ),
    "embauche sans date": (
        lambda f: f["positionnements"][0].update({"Date d'embauche": ""}),
        "positionnements.csv",
        2,
        "Date d'embauche",
        "obligatoire pour une embauche",
    ),
    "identifiant deux fois dans le fichier": (
        lambda f: f["donneurs_ordre"][1].update({"Code donneur d'ordre": "DO0"}),
        "donneurs_ordre.csv",
        3,
        "Code donneur d'ordre",
        "même identifiant que la ligne 2",
    ),
    "numéro de marché deux fois dans le fichier": (
        lambda f: f["marches"][1].update({"N° de marché": "2024-BAT-000"}),
        "marches.csv",
        3,
        "N° de marché",
        "comme la ligne 2",
    ),
    "valeur obligatoire manquante": (
        lambda f: f["besoins"][0].update({"Poste": ""}),
        "besoins.csv",
        2,
        "Poste",
        "valeur obligatoire manquante",
    ),
    "facilitateur inconnu": (
        lambda f: f["besoins"][0].update({"Facilitateur": "personne"}),
        "besoins.csv",
        2,
        "Facilitateur",
        "« personne » n'est pas facilitateur actif de ce PLIE",
    ),
    "attributaire inconnu sans nom": (
        lambda f: f["marches"][0].update({"Attributaire": ""}),
        "marches.csv",
        2,
        "SIRET attributaire",
        "inconnue dans ce PLIE",
    ),
    "sous-traitant inconnu": (
        lambda f: f["marches"][0].update({"SIRET sous-traitants": "73282932000074"}),
        "marches.csv",
        2,
        "SIRET sous-traitants",
        "sous-traitant « 73282932000074 » inconnu dans ce PLIE",
    ),
    "oui ou non illisible": (
        lambda f: f["beneficiaires"][0].update({"BRSA": "peut-être"}),
        "beneficiaires.csv",
        2,
        "BRSA",
        "oui ou non attendu",
    ),
}


@pytest.mark.parametrize("cas", CAS)
def test_chaque_refus_nomme_fichier_ligne_colonne_et_raison(monde, abc, fichiers, tmp_path, cas):
    modifier, fichier, ligne, colonne, raison = CAS[cas]
    modifier(fichiers)
    if ligne is None:
        ligne = _index_externe(fichiers)
    avant = _etat()
    with pytest.raises(RepriseRefusee) as exc:
        reprendre(monde.plie1, abc, export_clauses.ecrire_export(tmp_path / "abc", fichiers))
    refus = exc.value.rapport.refus
    assert any(
        (r.fichier, r.ligne, r.colonne) == (fichier, ligne, colonne) and raison in r.raison
        for r in refus
    ), [str(r) for r in refus]
    assert _etat() == avant


def test_colonne_manquante(monde, abc, fichiers, tmp_path):
    for besoin in fichiers["besoins"]:
        del besoin["Poste"]
    colonnes = dict(export_clauses.COLONNES)
    colonnes["besoins"] = [c for c in colonnes["besoins"] if c != "Poste"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(export_clauses, "COLONNES", colonnes)
        dossier = export_clauses.ecrire_export(tmp_path / "abc", fichiers)
    with pytest.raises(RepriseRefusee) as exc:
        reprendre(monde.plie1, abc, dossier)
    assert [str(r) for r in exc.value.rapport.refus if r.fichier == "besoins.csv"] == [
        "besoins.csv, ligne 1, colonne « Poste » : colonne manquante"
    ]


def test_numero_de_marche_deja_pris_hors_reprise(monde, abc, fichiers, tmp_path):
    MarcheFactory(operation__donneur_ordre__plie=monde.plie1, numero="2024-BAT-004")
    avant = _etat()
    with pytest.raises(RepriseRefusee) as exc:
        reprendre(monde.plie1, abc, export_clauses.ecrire_export(tmp_path / "abc", fichiers))
    assert [str(r) for r in exc.value.rapport.refus] == [
        "marches.csv, ligne 6, colonne « N° de marché » : « 2024-BAT-004 » existe déjà dans ce PLIE"
    ]
    # Tout ou rien : ni les donneurs d'ordre, ni les opérations écrits avant ne restent.
    assert _etat() == avant


def test_facilitateur_d_un_autre_plie_refuse(monde, abc, fichiers, tmp_path):
    autre = monde.user(Role.FACILITATEUR, plie=2)
    fichiers["besoins"][3]["Facilitateur"] = autre.username
    with pytest.raises(RepriseRefusee) as exc:
        reprendre(monde.plie1, abc, export_clauses.ecrire_export(tmp_path / "abc", fichiers))
    assert any(
        r.ligne == 5 and "n'est pas facilitateur actif de ce PLIE" in r.raison
        for r in exc.value.rapport.refus
    )


def _reprise_mesuree(plie, abc, facilitateur, externes, dossier):
    fichiers = export_clauses.generer(facilitateur.username, [], externes=externes, mois=20)
    export_clauses.ecrire_export(dossier, fichiers)
    debut = time.perf_counter()
    with CaptureQueriesContext(connection) as requetes:
        rapport = reprendre(plie, abc, dossier)
    return rapport, len(requetes), time.perf_counter() - debut


def test_heures_en_lots_requetes_constantes(monde, abc, tmp_path, capsys):
    """200 puis 2 000 lignes d'heures : même nombre de requêtes (rien par ligne)."""
    petit = monde.user(Role.FACILITATEUR)
    grand = monde.user(Role.FACILITATEUR, plie=2)
    # Le compte de la reprise existe déjà pour les deux passages mesurés.
    amorce = export_clauses.ecrire_export(tmp_path / "amorce", {"donneurs_ordre": []})
    reprendre(monde.plie2, abc, amorce)
    ContentType.objects.get_for_model(Positionnement)  # le cache des types, pour les deux

    rapport, requetes_200, _ = _reprise_mesuree(monde.plie1, abc, petit, 10, tmp_path / "a")
    assert rapport.comptes[Entite.HEURES].crees == 200
    rapport, requetes_2000, duree = _reprise_mesuree(monde.plie2, abc, grand, 100, tmp_path / "b")
    assert rapport.comptes[Entite.HEURES].crees == 2000
    assert HeuresRealisees.objects.filter(marche__plie=monde.plie2).count() == 2000
    assert requetes_2000 == requetes_200
    with capsys.disabled():
        print(f"\nReprise de 2 000 lignes d'heures : {duree:.2f} s, {requetes_2000} requêtes")
