"""Un export « façon VIeSION » généré : colonnes et libellés de la correspondance livrée
(parcours/reprise/correspondances/viesion.yaml), dates JJ/MM/AAAA, CSV « ; » UTF-8 ou XLSX."""

import csv
import datetime
import random
from pathlib import Path

CORRESPONDANCE_VIESION = (
    Path(__file__).resolve().parents[2] / "parcours/reprise/correspondances/viesion.yaml"
)
COLONNES_PARTICIPANTS = [
    "N° participant",
    "Nom",
    "Prénom",
    "Nom de naissance",
    "Date de naissance",
    "Sexe",
    "Courriel",
    "Téléphone",
    "Adresse",
    "Code INSEE",
    "Commune",
]
COLONNES_PARCOURS = [
    "N° parcours",
    "N° participant",
    "Statut",
    "Date de prescription",
    "Date d'entrée",
    "Date de sortie",
    "Motif de sortie",
    "Référent",
]
# Libellé VIeSION -> (code du projet, entré ?, sorti ?) : chaque état y passe.
ETATS = [
    ("Prescrit", "prescrit", False, False),
    ("Prescription incomplète", "incomplet", False, False),
    ("Recevable", "recevable", False, False),
    ("Irrecevable", "irrecevable", False, False),
    ("Annulé", "annule", False, False),
    ("Commission d'accès et de suivi", "en_commission_entree", False, False),
    ("Ajourné", "ajourne", False, False),
    ("Refusé", "refuse", False, False),
    ("Admis", "admis", False, False),
    ("En parcours", "en_accompagnement", True, False),
    ("En veille", "suspendu", True, False),
    ("En emploi", "en_emploi", True, False),
    ("Sortie proposée", "sortie_proposee", True, True),
    ("Sorti", "sorti", True, True),
]
AVEC_REFERENT = {"admis", "en_accompagnement", "suspendu", "en_emploi", "sortie_proposee"}
SORTIES = ["Emploi durable", "Formation qualifiante", "Déménagement", "Abandon", "Santé"]
PRENOMS = ["Alice", "Bruno", "Chloé", "David", "Éloïse", "Farid", "Gaëlle", "Hugo", "Inès"]


def _d(date):
    return f"{date:%d/%m/%Y}"


def generer(nombre=500, referents=("referent",), graine=14):
    """(participants, parcours) : des listes de lignes (dict colonne -> texte). Chaque personne a
    un parcours ; une sur cinq a aussi un parcours plus ancien, sorti."""
    hasard = random.Random(graine)
    personnes, dossiers = [], []
    for i in range(nombre):
        pid = f"VS{i:05d}"
        naissance = datetime.date(1960, 1, 1) + datetime.timedelta(days=hasard.randrange(15000))
        personnes.append(
            {
                "N° participant": pid,
                "Nom": f"Reprise{i:05d}",
                "Prénom": PRENOMS[i % len(PRENOMS)],
                "Nom de naissance": "",
                "Date de naissance": _d(naissance),
                "Sexe": "Femme" if i % 2 else "Homme",
                "Courriel": f"p{i}@exemple.fr" if i % 3 else "",
                "Téléphone": "",
                "Adresse": f"{i} rue des Vignes",
                "Code INSEE": "47001",
                "Commune": "Agen",
            }
        )
        libelle, code, entre, sorti = ETATS[i % len(ETATS)]
        prescription = datetime.date(2021, 1, 4) + datetime.timedelta(days=hasard.randrange(900))
        entree = prescription + datetime.timedelta(days=45) if entre else None
        sortie = entree + datetime.timedelta(days=300) if sorti else None
        if i % 5 == 0:
            ancien_debut = prescription - datetime.timedelta(days=800)
            dossiers.append(
                _parcours(f"A{i:05d}", pid, "Sorti", ancien_debut, ancien_debut, 400, "Abandon", "")
            )
        dossiers.append(
            _parcours(
                f"R{i:05d}",
                pid,
                libelle,
                prescription,
                entree,
                (sortie - entree).days if sortie else None,
                SORTIES[i % len(SORTIES)] if sorti else "",
                referents[i % len(referents)] if code in AVEC_REFERENT else "",
            )
        )
    return personnes, dossiers


def _parcours(pid, personne, statut, prescription, entree, duree, motif, referent):
    entree_reelle = entree + datetime.timedelta(days=30) if entree else None
    sortie = entree_reelle + datetime.timedelta(days=duree) if duree is not None else None
    return {
        "N° parcours": pid,
        "N° participant": personne,
        "Statut": statut,
        "Date de prescription": _d(prescription),
        "Date d'entrée": _d(entree_reelle) if entree_reelle else "",
        "Date de sortie": _d(sortie) if sortie else "",
        "Motif de sortie": motif,
        "Référent": referent,
    }


def ecrire_csv(chemin: Path, colonnes, lignes):
    with chemin.open("w", encoding="utf-8", newline="") as f:
        ecrivain = csv.DictWriter(f, fieldnames=colonnes, delimiter=";")
        ecrivain.writeheader()
        ecrivain.writerows(lignes)


def ecrire_xlsx(chemin: Path, colonnes, lignes):
    from openpyxl import Workbook

    classeur = Workbook()
    feuille = classeur.active
    feuille.append(colonnes)
    for ligne in lignes:
        feuille.append([ligne.get(c, "") for c in colonnes])
    classeur.save(chemin)


def ecrire_export(dossier: Path, participants, parcours, format="csv"):
    dossier.mkdir(parents=True, exist_ok=True)
    ecrire = ecrire_csv if format == "csv" else ecrire_xlsx
    ecrire(dossier / f"participants.{format}", COLONNES_PARTICIPANTS, participants)
    ecrire(dossier / f"parcours.{format}", COLONNES_PARCOURS, parcours)
    return dossier
