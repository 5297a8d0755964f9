"""Les autres fichiers d'un export « façon VIeSION » : structures, comptes, étapes, suivis
(entretiens) et contrats, aux colonnes et libellés de la correspondance livrée."""

import datetime

from tests.reprise.export import _d, ecrire_csv

COLONNES = {
    "structures": ["Code structure", "Structure", "Type de structure"],
    "utilisateurs": [
        "Code utilisateur",
        "Identifiant",
        "Nom",
        "Prénom",
        "Courriel",
        "Structure",
        "Profil",
        "Date de début",
    ],
    "prescriptions": [
        "N° prescription",
        "N° parcours",
        "Motif de l'orientation",
        "Prescripteur",
        "Statuts",
        "Décision commission",
        "Date de la commission",
        "Motif de la décision",
    ],
    "decisions_sortie": [
        "N° décision",
        "N° parcours",
        "Date de proposition",
        "Motif de sortie proposé",
        "Décision commission de sortie",
        "Date de la commission",
        "Motif de la décision",
    ],
    "reponses_fse": [
        "N° questionnaire",
        "N° parcours",
        "N° opération FSE",
        "Date d'entrée dans l'opération",
        "Commune de naissance",
        "Code postal de naissance",
        "Situation à l'entrée",
        "Type d'emploi",
        "Durée de recherche (mois)",
        "Diplôme",
        "Handicap reconnu",
        "Minima sociaux",
        "Sans domicile",
        "Parent né à l'étranger",
    ],
    "etapes": [
        "N° étape",
        "N° parcours",
        "Étape",
        "Intitulé",
        "Prestataire",
        "Date de début",
        "Date de fin",
        "Statut de l'étape",
        "Commentaire",
    ],
    "suivis": [
        "N° suivi",
        "N° parcours",
        "Date du suivi",
        "Type de suivi",
        "Objet",
        "Saisi par",
        "Présence",
    ],
    "contrats": [
        "N° contrat",
        "N° parcours",
        "Type de contrat",
        "Employeur",
        "Entreprise utilisatrice",
        "Date de début",
        "Date de fin",
        "Heures hebdomadaires",
        "Motif de fin",
    ],
    "veilles": [
        "N° veille",
        "N° parcours",
        "Date de début",
        "Date de fin prévue",
        "Date de fin",
        "Motif de la veille",
        "Précision",
    ],
}
REFERENT = "jdupont"  # le référent créé par le fichier des comptes


def structures(existante):
    """Deux structures nouvelles et une qui porte le nom d'une structure du PLIE."""
    return [
        {
            "Code structure": "S1",
            "Structure": "Opérateur des Vignes",
            "Type de structure": "Opérateur",
        },
        {
            "Code structure": "S2",
            "Structure": "Mission locale",
            "Type de structure": "Prescripteur",
        },
        {"Code structure": "S3", "Structure": existante.upper(), "Type de structure": "Opérateur"},
    ]


def utilisateurs():
    return [
        {
            "Code utilisateur": "U1",
            "Identifiant": REFERENT,
            "Nom": "Dupont",
            "Prénom": "Jeanne",
            "Courriel": "jeanne.dupont@exemple.fr",
            "Structure": "Opérateur des Vignes",
            "Profil": "Référent PLIE",
            "Date de début": "01/09/2020",
        },
        {
            "Code utilisateur": "U2",
            "Identifiant": "mlopez",
            "Nom": "Lopez",
            "Prénom": "Marc",
            "Courriel": "",
            "Structure": "Mission locale",
            "Profil": "Prescripteur",
            "Date de début": "",
        },
    ]


def _date(texte):
    return datetime.datetime.strptime(texte, "%d/%m/%Y").date()


DECISIONS = {"Admis": ("Admis", ""), "Ajourné": ("Ajourné", "Projet à préciser")}


def prescriptions(dossiers):
    """Une prescription par parcours, envoyée par la mission locale (fichier des structures) ;
    la décision de commission des parcours admis ou ajournés."""
    lignes = []
    for i, d in enumerate(dossiers):
        decision, motif = DECISIONS.get(d["Statut"], ("", ""))
        date = _date(d["Date de prescription"]) + datetime.timedelta(days=20)
        lignes.append(
            {
                "N° prescription": f"P{d['N° parcours']}",
                "N° parcours": d["N° parcours"],
                "Motif de l'orientation": "Recherche d'emploi depuis deux ans",
                "Prescripteur": "Mission locale" if i % 2 else "",
                "Statuts": "RSA, QPV" if i % 3 == 0 else "",
                "Décision commission": decision,
                "Date de la commission": _d(date) if decision else "",
                "Motif de la décision": motif,
            }
        )
    return lignes


def decisions_sortie(dossiers):
    """La sortie validée de chaque parcours sorti (proposée 20 jours avant la date de sortie) ;
    pour une sortie proposée, un premier refus un mois après l'entrée."""
    lignes = []
    for d in dossiers:
        if d["Statut"] == "Sorti":
            sortie = _date(d["Date de sortie"])
            proposee, decision, motif = sortie - datetime.timedelta(days=20), sortie, ""
            quoi = ("Sortie validée", d["Motif de sortie"])
        elif d["Statut"] == "Sortie proposée":
            proposee = _date(d["Date d'entrée"]) + datetime.timedelta(days=30)
            decision, motif = proposee + datetime.timedelta(days=20), "Emploi trop récent"
            quoi = ("Sortie refusée", "Emploi durable")
        else:
            continue
        lignes.append(
            {
                "N° décision": f"DS{d['N° parcours']}",
                "N° parcours": d["N° parcours"],
                "Date de proposition": _d(proposee),
                "Motif de sortie proposé": quoi[1],
                "Décision commission de sortie": quoi[0],
                "Date de la commission": _d(decision),
                "Motif de la décision": motif,
            }
        )
    return lignes


def reponses_fse(dossiers):
    """Le questionnaire FSE+ de chaque parcours entré."""
    return [
        {
            "N° questionnaire": f"Q{d['N° parcours']}",
            "N° parcours": d["N° parcours"],
            "N° opération FSE": "",
            "Date d'entrée dans l'opération": d["Date d'entrée"],
            "Commune de naissance": "Agen",
            "Code postal de naissance": "47000",
            "Situation à l'entrée": "Demandeur d'emploi",
            "Type d'emploi": "",
            "Durée de recherche (mois)": "18",
            "Diplôme": "Secondaire",
            "Handicap reconnu": "Non",
            "Minima sociaux": "Oui",
            "Sans domicile": "Ne souhaite pas répondre",
            "Parent né à l'étranger": "Non",
        }
        for d in dossiers
        if d["Date d'entrée"]
    ]


def suivi(dossiers):
    """(étapes, suivis, contrats) des parcours entrés : une étape réalisée (par son libellé du
    catalogue) et une en cours (par son code), un entretien ; un CDI pour chaque parcours en
    emploi."""
    etapes, suivis, contrats = [], [], []
    for d in dossiers:
        if not d["Date d'entrée"]:
            continue
        pid, entree = d["N° parcours"], _date(d["Date d'entrée"])
        etapes.append(
            {
                "N° étape": f"E{pid}",
                "N° parcours": pid,
                "Étape": "Bilan de compétences",
                "Intitulé": "Bilan CIBC",
                "Prestataire": "CIBC Agen",
                "Date de début": _d(entree + datetime.timedelta(days=10)),
                "Date de fin": _d(entree + datetime.timedelta(days=40)),
                "Statut de l'étape": "Réalisée",
                "Commentaire": "",
            }
        )
        etapes.append(
            {
                "N° étape": f"F{pid}",
                "N° parcours": pid,
                "Étape": "accueil",
                "Intitulé": "",
                "Prestataire": "",
                "Date de début": _d(entree),
                "Date de fin": "",
                "Statut de l'étape": "En cours",
                "Commentaire": "Premier accueil",
            }
        )
        suivis.append(
            {
                "N° suivi": f"T{pid}",
                "N° parcours": pid,
                "Date du suivi": _d(entree + datetime.timedelta(days=5)),
                "Type de suivi": "Entretien individuel",
                "Objet": "Point sur le projet",
                "Saisi par": REFERENT if d["Référent"] else "ancien.collegue",
                "Présence": "Présent",
            }
        )
        if d["Statut"] == "En emploi":
            contrats.append(
                {
                    "N° contrat": f"C{pid}",
                    "N° parcours": pid,
                    "Type de contrat": "CDI",
                    "Employeur": "Boulangerie Martin",
                    "Entreprise utilisatrice": "",
                    "Date de début": _d(entree + datetime.timedelta(days=60)),
                    "Date de fin": "",
                    "Heures hebdomadaires": "35",
                    "Motif de fin": "",
                }
            )
    return etapes, suivis, contrats


def veilles(dossiers):
    """Les suspensions : celle, en cours, de chaque parcours en veille (fin prévue dans deux
    mois) ; une veille passée, levée, pour chaque parcours en accompagnement."""
    aujourdhui = datetime.date.today()
    lignes = []
    for d in dossiers:
        if d["Statut"] not in ("En veille", "En parcours"):
            continue
        pid, entree = d["N° parcours"], _date(d["Date d'entrée"])
        en_cours = d["Statut"] == "En veille"
        lignes.append(
            {
                "N° veille": f"V{pid}",
                "N° parcours": pid,
                "Date de début": _d(entree + datetime.timedelta(days=90)),
                "Date de fin prévue": _d(
                    aujourdhui + datetime.timedelta(days=60)
                    if en_cours
                    else entree + datetime.timedelta(days=180)
                ),
                "Date de fin": "" if en_cours else _d(entree + datetime.timedelta(days=150)),
                "Motif de la veille": "Santé" if en_cours else "Problèmes familiaux",
                "Précision": "",
            }
        )
    return lignes


def ecrire(dossier, nom, lignes):
    dossier.mkdir(parents=True, exist_ok=True)
    ecrire_csv(dossier / f"{nom}.csv", COLONNES[nom], lignes)
