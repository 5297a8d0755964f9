"""Un export « façon VIeSION » des participations FSE+ successives (tests/reprise/
test_participations*.py) : les opérations du PLIE, les fichiers participants, parcours,
participations et réponses FSE+ aux colonnes de la correspondance livrée."""

import datetime
from dataclasses import dataclass

from parcours.fse.models import OperationFse
from tests.reprise import export_suivi
from tests.reprise.export import _d, ecrire_csv, ecrire_export, generer

COLONNES = [
    "N° participation",
    "N° parcours",
    "N° opération FSE",
    "Structure",
    "Date d'entrée dans l'opération",
    "Date de sortie de l'opération",
    "Motif de fin",
]
# Dans l'export généré (tests/reprise/export.py) : un parcours en accompagnement et un sorti.
EN_COURS, SORTI = "R00009", "R00013"


@dataclass
class Operations:
    a: OperationFse  # accompagnement, porté par l'opérateur A (structure du référent)
    b: OperationFse  # accompagnement, porté par l'opérateur B
    action: OperationFse  # action financée : court en même temps que l'accompagnement


def operations(monde) -> Operations:
    debut = datetime.date(2019, 1, 1)

    def creer(numero, type_op, cle, plie=1):
        return OperationFse.objects.create(
            plie=monde.plie(plie),
            numero=numero,
            libelle=f"Opération {numero}",
            type=type_op,
            structure_porteuse=monde.structure("operateur", cle, plie),
            debut=debut,
        )

    creer("202100999", "accompagnement", "a", plie=2)  # du PLIE voisin : jamais cité d'ici
    return Operations(
        creer("202100001", "accompagnement", "a"),
        creer("202100002", "accompagnement", "b"),
        creer("202100003", "action", "a"),
    )


def participation(sid, parcours, operation, entree, sortie=None, motif="", structure=""):
    return {
        "N° participation": sid,
        "N° parcours": parcours,
        "N° opération FSE": operation,
        "Structure": structure,
        "Date d'entrée dans l'opération": _d(entree),
        "Date de sortie de l'opération": _d(sortie) if sortie else "",
        "Motif de fin": motif,
    }


def reponse(sid, dossier, operation, entree):
    """Le questionnaire FSE+ complet d'un parcours pour une opération, entré le jour dit."""
    (ligne,) = export_suivi.reponses_fse([dossier])
    ligne.update(
        {
            "N° questionnaire": sid,
            "N° opération FSE": operation,
            "Date d'entrée dans l'opération": _d(entree) if entree else "",
        }
    )
    return ligne


def date(texte) -> datetime.date:
    return datetime.datetime.strptime(texte, "%d/%m/%Y").date()


def generer_parcours(referent, nombre=14):
    """(participants, lignes des parcours, parcours par identifiant)."""
    personnes, dossiers = generer(nombre, referents=(referent,))
    return personnes, dossiers, {d["N° parcours"]: d for d in dossiers}


def successives(dossiers, ops):
    """Les participations d'exemple : pour le parcours en cours, l'accompagnement A jusqu'au
    changement de structure, puis B (en cours) et une action pendant A ; pour le parcours
    sorti, A puis B jusqu'à la sortie. Rend (participations, réponses FSE+)."""
    en_cours, sorti = dossiers[EN_COURS], dossiers[SORTI]
    e1, e2 = date(en_cours["Date d'entrée"]), date(sorti["Date d'entrée"])
    s2 = date(sorti["Date de sortie"])
    jour = datetime.timedelta(days=1)
    participations = [
        participation(
            "PA1", EN_COURS, ops.a.numero, e1, e1 + 100 * jour, "Changement de structure"
        ),
        participation("PB1", EN_COURS, ops.b.numero, e1 + 101 * jour),
        participation(
            "PX1", EN_COURS, ops.action.numero, e1 + 20 * jour, e1 + 60 * jour, "Fin de l'action"
        ),
        participation("PA2", SORTI, ops.a.numero, e2, e2 + 50 * jour, "Changement de structure"),
        participation("PB2", SORTI, ops.b.numero, e2 + 51 * jour, s2, "Sortie du PLIE"),
    ]
    reponses = [
        reponse("QA1", en_cours, ops.a.numero, e1),
        reponse("QB1", en_cours, ops.b.numero, e1 + 101 * jour),
        reponse("QA2", sorti, ops.a.numero, e2),
        # Sans date : la plus récente participation du parcours à l'opération.
        reponse("QB2", sorti, ops.b.numero, None),
    ]
    return participations, reponses


def ecrire(dossier, personnes, dossiers, participations=None, reponses=None):
    ecrire_export(dossier, personnes, dossiers)
    if participations is not None:
        ecrire_csv(dossier / "participations.csv", COLONNES, participations)
    if reponses is not None:
        export_suivi.ecrire(dossier, "reponses_fse", reponses)
    return dossier


def une_par_parcours(lignes_parcours, operation):
    """Pour chaque parcours entré : une participation à l'opération, de l'entrée à la sortie
    (close pour un parcours sorti), et son questionnaire."""
    participations, reponses = [], []
    for d in lignes_parcours:
        if not d["Date d'entrée"]:
            continue
        pid, entree = d["N° parcours"], date(d["Date d'entrée"])
        sortie = date(d["Date de sortie"]) if d["Statut"] == "Sorti" else None
        motif = "Sortie du PLIE" if sortie else ""
        participations.append(participation(f"P{pid}", pid, operation, entree, sortie, motif))
        reponses.append(reponse(f"Q{pid}", d, operation, entree))
    return participations, reponses
