"""Le tableau d'impact d'un donneur d'ordre (page, XLSX, PDF) : synthèse, opérations, marchés,
entreprises, publics, types de contrat, emploi à 6 et 12 mois."""

import datetime

from parcours.clauses.exports import (
    CODE,
    ENTIER,
    HEURES,
    TAUX,
    TEXTE,
    Colonne,
    Rapport,
    Tableau,
)
from parcours.clauses.rapports.contrats import emploi_apres_embauche, types_de_contrat
from parcours.clauses.rapports.heures import bilan_heures, par_marche
from parcours.clauses.rapports.periode import SANS_BORNE, Periode
from parcours.clauses.rapports.publics import publics

_COLONNES_HEURES = [
    Colonne("Heures prévues", HEURES),
    Colonne("Heures réalisées", HEURES),
    Colonne("Taux de réalisation", TAUX),
    Colonne("Personnes", ENTIER),
]


def tableau_impact(
    donneur, marches, periode: Periode = SANS_BORNE, aujourdhui: datetime.date | None = None
) -> Rapport:
    """Le bilan d'un donneur d'ordre : synthèse, opérations, marchés, entreprises, publics,
    contrats, emploi à 6 et 12 mois. `marches` : les marchés visibles de ce donneur d'ordre."""
    bilan = bilan_heures(marches, periode)
    t = bilan["totaux"]
    emploi = emploi_apres_embauche(marches, periode, aujourdhui)
    contrats = types_de_contrat(marches, periode)
    operations, entreprises = bilan["operations"], bilan["entreprises"]
    lignes_marches = par_marche(marches, periode)
    lignes_publics = publics(marches, periode)
    rapport = Rapport(
        titre=f"Tableau d'impact — {donneur.nom}",
        sous_titre=f"Clauses sociales d'insertion — heures {periode}",
        plie=donneur.plie,
        synthese=[
            ("Donneur d'ordre", donneur.nom, TEXTE),
            ("Opérations", t["operations"], ENTIER),
            ("Marchés", t["marches"], ENTIER),
            ("Entreprises attributaires", t["entreprises"], ENTIER),
            ("Heures d'insertion prévues", t["prevues"], HEURES),
            ("Heures d'insertion réalisées", t["realisees"], HEURES),
            ("Taux de réalisation", t["taux"], TAUX),
            ("Personnes ayant travaillé", t["personnes"], ENTIER),
            ("Embauches", sum(c["embauches"] for c in contrats), ENTIER),
            *(
                (
                    f"Participants en emploi à {e['jalon']} mois",
                    f"{e['en_emploi']} sur {e['mesurables']}"
                    + (
                        f" ({e['non_mesurables']} non mesurable(s) encore)"
                        if e["non_mesurables"]
                        else ""
                    ),
                    TEXTE,
                )
                for e in emploi
            ),
        ],
        notes=[
            "Heures prévues : celles des marchés entiers ; heures réalisées : celles déclarées "
            "pour les mois de la période. Personnes : personnes distinctes ayant des heures.",
        ],
    )
    rapport.tableaux = [
        Tableau(
            "Par opération",
            [Colonne("Opération"), Colonne("Marchés", ENTIER), *_COLONNES_HEURES],
            [
                (o["nom"], o["marches"], o["prevues"], o["realisees"], o["taux"], o["personnes"])
                for o in operations
            ],
            total=(
                "Total",
                t["marches"],
                t["prevues"],
                t["realisees"],
                t["taux"],
                t["personnes"],
            ),
        ),
        Tableau(
            "Par marché",
            [
                Colonne("Marché", CODE),
                Colonne("Intitulé"),
                Colonne("Opération"),
                Colonne("Attributaire"),
                Colonne("Début"),
                Colonne("Fin"),
                *_COLONNES_HEURES,
            ],
            [
                (
                    m["numero"],
                    m["intitule"],
                    m["operation__nom"],
                    m["attributaire__raison_sociale"] or "—",
                    m["date_debut"],
                    m["date_fin"],
                    m["heures_prevues"],
                    m["realisees"],
                    m["taux"],
                    m["personnes"],
                )
                for m in lignes_marches
            ],
        ),
        Tableau(
            "Par entreprise",
            [Colonne("Entreprise attributaire"), Colonne("SIRET", CODE), *_COLONNES_HEURES],
            [
                (
                    e["nom"] or "Sans attributaire",
                    e["siret"] or "",
                    e["prevues"],
                    e["realisees"],
                    e["taux"],
                    e["personnes"],
                )
                for e in entreprises
            ],
            note="Réalisé : heures faites sur les marchés de l'entreprise, par elle ou ses "
            "sous-traitants.",
        ),
        Tableau(
            "Publics",
            [
                Colonne("Public"),
                Colonne("Personnes", ENTIER),
                Colonne("Heures réalisées", HEURES),
                Colonne("Part des heures", TAUX),
            ],
            [(p["libelle"], p["personnes"], p["heures"], p["part"]) for p in lignes_publics],
            note="Une personne peut relever de plusieurs publics. Moins de 26 ans : au mois des "
            "heures.",
        ),
        Tableau(
            "Types de contrat",
            [Colonne("Type de contrat"), Colonne("Embauches", ENTIER)],
            [(c["libelle"], c["embauches"]) for c in contrats],
        ),
        Tableau(
            "Emploi après l'embauche",
            [
                Colonne("Jalon"),
                Colonne("Participants embauchés", ENTIER),
                Colonne("Mesurables", ENTIER),
                Colonne("En emploi", ENTIER),
                Colonne("Part en emploi", TAUX),
                Colonne("Non mesurables encore", ENTIER),
            ],
            [
                (
                    e["libelle"],
                    e["embauches"],
                    e["mesurables"],
                    e["en_emploi"],
                    e["taux"],
                    e["non_mesurables"],
                )
                for e in emploi
            ],
            note="Participants embauchés sur les marchés du donneur d'ordre (embauche dans la "
            "période). En emploi : un de leurs contrats, chez tout employeur, est en cours à la "
            "date d'embauche + 6 (ou 12) mois. Mesurables : embauche vieille d'au moins 6 (ou "
            "12) mois ; les autres sont « non mesurables encore ». Les candidats externes, dont "
            "aucun contrat n'est enregistré, n'y figurent pas.",
        ),
    ]
    return rapport
