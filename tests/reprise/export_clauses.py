"""Un export « façon ABC Clause » généré, aux colonnes et libellés de la correspondance livrée
(parcours/reprise/correspondances/abc_clause.yaml) ; les bénéficiaires liés à VIeSION sont
désignés par leur n° VIeSION (VS00000…, ceux de tests/reprise/export.py)."""

import datetime
from pathlib import Path

from tests.reprise.export import ecrire_csv, ecrire_xlsx

CORRESPONDANCE_ABC_CLAUSE = (
    Path(__file__).resolve().parents[2] / "parcours/reprise/correspondances/abc_clause.yaml"
)
COLONNES = {
    "donneurs_ordre": ["Code donneur d'ordre", "Donneur d'ordre", "Type"],
    "operations": [
        "Code opération",
        "Code donneur d'ordre",
        "Opération",
        "Description",
        "Date de début",
        "Date de fin",
    ],
    "marches": [
        "Code marché",
        "Code opération",
        "N° de marché",
        "Intitulé",
        "Modalité de la clause",
        "Heures d'insertion prévues",
        "Date de début",
        "Date de fin",
        "SIRET attributaire",
        "Attributaire",
        "SIRET sous-traitants",
        "Modalité d'exécution",
    ],
    "besoins": [
        "Code besoin",
        "Code marché",
        "N° de lot",
        "Lot",
        "Heures du lot",
        "Poste",
        "Nombre de postes",
        "Type de contrat",
        "Date de début",
        "Date de fin",
        "Facilitateur",
        "Statut",
    ],
    "beneficiaires": [
        "Code bénéficiaire",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Sexe",
        "Code INSEE",
        "Commune",
        "BRSA",
        "QPV",
        "RQTH",
        "DELD",
    ],
    "positionnements": [
        "Code candidature",
        "Code besoin",
        "N° VIeSION",
        "Code bénéficiaire",
        "Statut",
        "Date d'embauche",
        "Date de fin de contrat",
        "Type de contrat",
        "Employeur",
        "Heures hebdomadaires",
        "Motif",
    ],
    "heures": [
        "Code ligne",
        "Code marché",
        "N° VIeSION",
        "Code bénéficiaire",
        "SIRET employeur",
        "Mois",
        "Heures réalisées",
    ],
}
TYPES = ["Bailleur social", "Commune", "Département", "État", "Établissement public"]
STATUTS_NON_EMBAUCHES = [
    ("Proposée", ""),
    ("Éligible", ""),
    ("Positionnée", ""),
    ("Retenue", ""),
    ("Non retenue", "Profil sans permis"),
    ("Non éligible", ""),
]
DEBUT = datetime.date(2024, 1, 1)


def _d(date):
    return f"{date:%d/%m/%Y}"


def _luhn(base: str) -> str:
    """`base` complété du chiffre qui rend valide sa clé de Luhn."""
    for cle in "0123456789":
        chiffres = [int(c) for c in base + cle]
        total = sum(
            c if i % 2 == 0 else c * 2 - 9 * (c > 4) for i, c in enumerate(reversed(chiffres))
        )
        if total % 10 == 0:
            return base + cle
    raise AssertionError(base)


def siret_marche(m: int) -> str:
    """Un SIRET valide (SIREN et SIRET à clé de Luhn) par marché."""
    return _luhn(_luhn(f"{88000000 + m:08d}") + "0000")


def generer(facilitateur: str, participants: list[str], externes=10, mois=3, marches=20):
    """Fichier -> lignes. Chaque participant de `participants` et chaque bénéficiaire externe
    est embauché sur un marché (cycliquement) et a `mois` mois d'heures ; chaque besoin a aussi
    une candidature non embauchée (tous les autres statuts y passent)."""
    f = {nom: [] for nom in COLONNES}
    for d in range(5):
        f["donneurs_ordre"].append(
            {"Code donneur d'ordre": f"DO{d}", "Donneur d'ordre": f"Donneur {d}", "Type": TYPES[d]}
        )
    for o in range(10):
        f["operations"].append(
            {
                "Code opération": f"OP{o}",
                "Code donneur d'ordre": f"DO{o % 5}",
                "Opération": f"Résidence {o}",
                "Description": "",
                "Date de début": _d(DEBUT),
                "Date de fin": "",
            }
        )
    for m in range(marches):
        f["marches"].append(
            {
                "Code marché": f"MA{m}",
                "Code opération": f"OP{m % 10}",
                "N° de marché": f"2024-BAT-{m:03d}",
                "Intitulé": f"Lot gros œuvre {m}",
                "Modalité de la clause": "Condition d'exécution",
                "Heures d'insertion prévues": "1 200,5",
                "Date de début": _d(DEBUT),
                "Date de fin": "31/12/2026",
                "SIRET attributaire": siret_marche(m),
                "Attributaire": f"BTP Reprise {m}",
                # Un marché sur deux sous-traite à l'attributaire du suivant (une ETTI…).
                "SIRET sous-traitants": "" if m % 2 else f" {siret_marche(m + 1)} ",
                "Modalité d'exécution": "Embauche directe" if m % 2 else "ETTI",
            }
        )
        for b in range(2):
            f["besoins"].append(
                {
                    "Code besoin": f"BE{m}-{b}",
                    "Code marché": f"MA{m}",
                    "N° de lot": str(b + 1) if m % 2 else "",
                    "Lot": f"Maçonnerie {b}" if m % 2 else "",
                    "Heures du lot": "600" if m % 2 else "",
                    "Poste": f"Maçon {b}",
                    "Nombre de postes": "3",
                    "Type de contrat": "CDD",
                    "Date de début": _d(DEBUT),
                    "Date de fin": "",
                    "Facilitateur": facilitateur,
                    "Statut": "Ouvert",
                }
            )
    for e in range(externes):
        f["beneficiaires"].append(
            {
                "Code bénéficiaire": f"BN{e:04d}",
                "Nom": f"Externe{e:04d}",
                "Prénom": "Sam",
                "Date de naissance": "02/03/1990",
                "Sexe": "Femme" if e % 2 else "Homme",
                "Code INSEE": "47001",
                "Commune": "Agen",
                "BRSA": "Oui" if e % 3 == 0 else "Non",
                "QPV": "Non",
                "RQTH": "",
                "DELD": "Oui",
            }
        )
    personnes = [(p, "") for p in participants] + [
        ("", b["Code bénéficiaire"]) for b in f["beneficiaires"]
    ]
    for i, (participant, externe) in enumerate(personnes):
        m = i % marches
        embauche = DEBUT + datetime.timedelta(days=31 * (i % 3))
        f["positionnements"].append(
            _candidature(f"CA{i:05d}", f"BE{m}-0", participant, externe, "Embauchée", embauche)
        )
        for k in range(mois):
            mois_k = (embauche.replace(day=1) + datetime.timedelta(days=32 * k)).replace(day=1)
            f["heures"].append(
                {
                    "Code ligne": f"HL{i:05d}-{k:02d}",
                    "Code marché": f"MA{m}",
                    "N° VIeSION": participant,
                    "Code bénéficiaire": externe,
                    "SIRET employeur": siret_marche(m + 1 if m % 2 == 0 and k == 1 else m),
                    "Mois": f"{mois_k:%m/%Y}",
                    "Heures réalisées": f"{70 + (i + k) % 60},5",
                }
            )
    # Les autres statuts, sur le second besoin de chaque marché.
    for i, (participant, externe) in enumerate(personnes[: len(STATUTS_NON_EMBAUCHES) * 2]):
        statut, motif = STATUTS_NON_EMBAUCHES[i % len(STATUTS_NON_EMBAUCHES)]
        ligne = _candidature(f"CX{i:05d}", f"BE{i % marches}-1", participant, externe, statut, None)
        ligne["Motif"] = motif
        f["positionnements"].append(ligne)
    return f


def _candidature(code, besoin, participant, externe, statut, embauche):
    return {
        "Code candidature": code,
        "Code besoin": besoin,
        "N° VIeSION": participant,
        "Code bénéficiaire": externe,
        "Statut": statut,
        "Date d'embauche": _d(embauche) if embauche else "",
        "Date de fin de contrat": "",
        "Type de contrat": "CDD" if embauche else "",
        "Employeur": "BTP Reprise" if embauche else "",
        "Heures hebdomadaires": "35" if embauche else "",
        "Motif": "",
    }


def ecrire_export(dossier: Path, fichiers: dict, format="csv", sauf=()) -> Path:
    dossier.mkdir(parents=True, exist_ok=True)
    ecrire = ecrire_csv if format == "csv" else ecrire_xlsx
    for nom, lignes in fichiers.items():
        if nom not in sauf:
            ecrire(dossier / f"{nom}.{format}", COLONNES[nom], lignes)
    return dossier
