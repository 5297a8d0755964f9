"""Chaque règle de sortie de chaque référentiel du dépôt, sur des exemples calculés à la main.

Un cas : (référentiel, règle, contrats, jour attendu). Le jour attendu est le premier jour où la
règle est remplie : la veille, elle ne l'est pas et ce jour est annoncé comme prévisionnel ; le
jour même, elle est atteinte. `None` : jamais remplie avec ces contrats. Les calculs sont
détaillés en commentaire (jours comptés bornes incluses, 35 h/semaine = 5 h par jour).
"""

import datetime

import pytest

from parcours.emploi.qualification import evaluer_sortie
from parcours.referentiel.sections.sortie import lire
from tests.emploi.outils import contrat, d, referentiels_avec_sortie, regle, situation, sortie

UN_JOUR = datetime.timedelta(days=1)
LOIN = "2028-12-31"


def cas(referentiel, code, contrats, attendu, *, age=40, accord=False, id=None):
    return pytest.param(referentiel, code, contrats, attendu, age, accord, id=id)


# --- Règles communes à plusieurs PLIE ------------------------------------------------------------


def cas_cdi(ref, filtre_temps_plein=True):
    """CDI depuis le 08/01/2024 : 6 mois complets le 07/07/2024."""
    temps_partiel = [contrat("cdi", "gifi", "2024-01-08", hebdo=24)]
    return [
        cas(ref, "cdi", [contrat("cdi", "gifi", "2024-01-08")], "2024-07-07", id=f"{ref}-cdi"),
        cas(
            ref,
            "cdi",
            temps_partiel,
            None if filtre_temps_plein else "2024-07-07",
            id=f"{ref}-cdi-temps-partiel-sans-accord",
        ),
        cas(ref, "cdi", temps_partiel, "2024-07-07", accord=True, id=f"{ref}-cdi-accord"),
        # Deux CDI successifs chez deux employeurs : pas « dans le poste ».
        cas(
            ref,
            "cdi",
            [
                contrat("cdi", "a", "2024-01-08", "2024-04-30"),
                contrat("cdi", "b", "2024-05-01", "2024-09-30"),
            ],
            None,
            id=f"{ref}-cdi-deux-employeurs",
        ),
    ]


def cas_cdd(ref):
    """CDD du 01/02/2024 : 6 mois le 31/07/2024 ; deux CDD enchaînés chez le même employeur."""
    return [
        cas(
            ref,
            "cdd",
            [contrat("cdd", "x", "2024-02-01", "2024-12-31")],
            "2024-07-31",
            id=f"{ref}-cdd",
        ),
        cas(
            ref,
            "cdd",
            [
                contrat("cdd", "x", "2024-02-01", "2024-04-30"),
                contrat("apprentissage", "x", "2024-05-01", "2024-09-30"),
            ],
            "2024-07-31",
            id=f"{ref}-cdd-enchaines-meme-employeur",
        ),
        cas(
            ref,
            "cdd",
            [
                contrat("cdd", "x", "2024-02-01", "2024-04-30"),
                contrat("cdd", "y", "2024-05-01", "2024-09-30"),
            ],
            None,  # y : terme le 31/10/2024, après la fin du contrat
            id=f"{ref}-cdd-deux-employeurs",
        ),
        cas(
            ref,
            "cdd",
            [contrat("cdd", "x", "2024-02-01", "2024-07-30")],
            None,
            id=f"{ref}-cdd-un-jour-trop-court",
        ),
        cas(
            ref,
            "cdd",
            [contrat("cdd", "x", "2024-02-01", "2024-12-31", hebdo=20)],
            None,
            id=f"{ref}-cdd-temps-partiel-sans-accord",
        ),
    ]


def cas_creation(ref):
    """Immatriculation le 15/03/2024 : 6 mois le 14/09/2024."""
    return [
        cas(
            ref,
            "creation-entreprise",
            [contrat("creation_entreprise", "ma-boite", "2024-03-15", hebdo=None)],
            "2024-09-14",
            id=f"{ref}-creation",
        ),
        cas(
            ref,
            "creation-entreprise",
            [contrat("creation_entreprise", "ma-boite", "2024-03-15", "2024-09-13", hebdo=None)],
            None,
            id=f"{ref}-creation-arretee-la-veille",
        ),
    ]


def cas_formation_fin_ou_6_mois(ref):
    """« Fin de formation ou après 6 mois pour les formations longues »."""
    return [
        cas(
            ref,
            "formation-qualifiante",
            [contrat("formation_qualifiante", "afpa", "2024-01-08", "2024-04-30", hebdo=None)],
            "2024-04-30",
            id=f"{ref}-formation-courte",
        ),
        cas(
            ref,
            "formation-qualifiante",
            [contrat("formation_qualifiante", "afpa", "2024-01-08", "2025-01-31", hebdo=None)],
            "2024-07-07",
            id=f"{ref}-formation-longue",
        ),
    ]


def cas_formation_entree(ref):
    return [
        cas(
            ref,
            "formation-qualifiante",
            [contrat("formation_qualifiante", "greta", "2024-09-02", "2025-06-30", hebdo=None)],
            "2024-09-02",
            id=f"{ref}-formation-entree",
        ),
    ]


def cas_39_semaines_ou_1200_h(ref, code, type_contrat, *, temps_plein=True):
    """39 semaines (273 jours) ou 1 200 h sur 12 mois glissants."""
    return [
        # 35 h : 5 h par jour, 1 200 h en 240 jours : 01/01/2024 + 239 jours = 27/08/2024.
        cas(
            ref,
            code,
            [contrat(type_contrat, "e", "2024-01-01")],
            "2024-08-27",
            id=f"{ref}-{code}-1200h",
        ),
        # 20 h avec accord : 1 200 h impossibles en 12 mois (1 043 h au plus) ; 273 jours couverts
        # le 29/09/2024 (31+29+31+30+31+30+31+31+29).
        cas(
            ref,
            code,
            [contrat(type_contrat, "e", "2024-01-01", hebdo=20)],
            "2024-09-29",
            accord=True,
            id=f"{ref}-{code}-39-semaines",
        ),
        cas(
            ref,
            code,
            [contrat(type_contrat, "e", "2024-01-01", hebdo=20)],
            None if temps_plein else "2024-09-29",
            id=f"{ref}-{code}-temps-partiel-sans-accord",
        ),
    ]


def cas_successifs_12_mois(ref):
    return [
        *cas_39_semaines_ou_1200_h(ref, "contrats-successifs", "cdd"),
        # Intérim 02/01-30/06/2023 : 900 h réalisées sur 180 jours ; puis CESU et CDD à partir du
        # 01/11/2023 (2,5 h + 2,5 h par jour) : 300 h de plus en 60 jours, le 30/12/2023 ; la
        # fenêtre de 12 mois (31/12/2022-30/12/2023) contient toute la mission.
        cas(
            ref,
            "contrats-successifs",
            [
                contrat("interim", "agence", "2023-01-02", "2023-06-30", heures=900),
                contrat("cesu", "particulier", "2023-11-01", hebdo=17.5),
                contrat("cdd", "mairie", "2023-11-01", "2024-06-30", hebdo=17.5),
            ],
            "2023-12-30",
            accord=True,
            id=f"{ref}-successifs-interim-cesu-cdd",
        ),
    ]


def cas_bordeaux(ref):
    return [
        *cas_cdi(ref),
        *cas_cdd(ref),
        # Même agence, missions enchaînées le lendemain : 6 mois le 30/06/2024.
        cas(
            ref,
            "interim",
            [
                contrat("interim", "adecco", "2024-01-01", "2024-03-29"),
                contrat("interim", "adecco", "2024-03-30", "2024-07-31"),
            ],
            "2024-06-30",
            id=f"{ref}-interim-sans-interruption",
        ),
        # Un week-end entre deux missions : interruption (tolérance 0 jour).
        cas(
            ref,
            "interim",
            [
                contrat("interim", "adecco", "2024-01-01", "2024-03-29"),
                contrat("interim", "adecco", "2024-04-01", "2024-07-31"),
            ],
            None,
            id=f"{ref}-interim-week-end",
        ),
        *cas_successifs_12_mois(ref),
        cas(
            ref,
            "cddi-ei",
            [contrat("cddi_ei", "ei", "2024-01-15", "2025-06-30")],
            "2025-01-14",
            id=f"{ref}-cddi-ei-12-mois",
        ),
        *cas_39_semaines_ou_1200_h(ref, "etti", "etti"),
        # Contrat aidé à 30 h : 30/7 h par jour, 1 200 h en 280 jours : le 06/10/2024.
        cas(
            ref,
            "contrat-aide",
            [contrat("contrat_aide", "ccas", "2024-01-01", hebdo=30)],
            "2024-10-06",
            id=f"{ref}-contrat-aide-1200h",
        ),
        # À 20 h : 1 043 h au plus sur 12 mois glissants.
        cas(
            ref,
            "contrat-aide",
            [contrat("contrat_aide", "ccas", "2024-01-01", hebdo=20)],
            None,
            id=f"{ref}-contrat-aide-20h",
        ),
        *cas_creation(ref),
        *cas_formation_fin_ou_6_mois(ref),
    ]


CAS = [
    # --- Agenais (001:L407-481) ---------------------------------------------------------------
    *cas_cdi("agenais"),
    *cas_cdd("agenais"),
    # 5 h par jour du 01/01/2024 : 900 h en 180 jours, le 28/06/2024.
    cas(
        "agenais",
        "interim-900h",
        [contrat("interim", "a1", "2024-01-01", "2024-12-31")],
        "2024-06-28",
        id="agenais-interim-900h",
    ),
    # Fenêtre de 9 mois : mission A (01/01-10/04/2023, 500 h) puis B (5 h/jour dès le 01/09/2023).
    # A sort de la fenêtre pendant que B avance : le total plafonne à ~660 h ; 900 h sont
    # atteintes par B seule après 180 jours, le 27/02/2024 (sans fenêtre : dès le 19/11/2023).
    cas(
        "agenais",
        "interim-900h",
        [
            contrat("interim", "a1", "2023-01-01", "2023-04-10", heures=500),
            contrat("interim", "a1", "2023-09-01"),
        ],
        "2024-02-27",
        id="agenais-interim-900h-9-mois-glissants",
    ),
    # Deux agences : pas la même agence, rien ne s'additionne.
    cas(
        "agenais",
        "interim-900h",
        [
            contrat("interim", "a1", "2024-01-01", "2024-04-30"),
            contrat("interim", "a2", "2024-05-01", "2024-09-30"),
        ],
        None,
        id="agenais-interim-900h-deux-agences",
    ),
    cas(
        "agenais",
        "contrat-aide",
        [contrat("contrat_aide", "mairie", "2024-03-01", hebdo=20)],
        "2025-02-28",
        id="agenais-contrat-aide-12-mois",
    ),
    cas(
        "agenais",
        "contrat-aide",
        [contrat("contrat_aide", "mairie", "2024-03-01", hebdo=19)],
        None,
        id="agenais-contrat-aide-19h",
    ),
    cas(
        "agenais",
        "iae",
        [contrat("cddi_aci", "aci", "2024-01-15", "2025-06-30", hebdo=26)],
        "2025-01-14",
        id="agenais-iae-12-mois",
    ),
    # 91 jours (janvier-mars) + 89 jours à partir du 01/05 = 180 jours le 28/07/2024 ; mais de
    # date à date, 3 mois (janvier-mars) + 3 mois du 01/05 ne sont complets que le 31/07/2024 :
    # les mois cumulés ne sont jamais atteints avant les mois calendaires des mêmes périodes.
    cas(
        "agenais",
        "contrats-successifs",
        [
            contrat("cdd", "x", "2024-01-01", "2024-03-31"),
            contrat("cdd", "y", "2024-05-01", "2024-07-31"),
        ],
        "2024-07-31",
        id="agenais-successifs",
    ),
    # « 6 mois sur les 9 derniers mois » : A (90 jours, T1 2023) sort de la fenêtre pendant que B
    # (dès le 01/08/2023) avance ; B seul atteint 180 jours le 27/01/2024, mais ses 6 mois de
    # date à date le 31/01/2024.
    cas(
        "agenais",
        "contrats-successifs",
        [contrat("cdd", "x", "2023-01-01", "2023-03-31"), contrat("cdi", "y", "2023-08-01")],
        "2024-01-31",
        id="agenais-successifs-6-mois-sur-9",
    ),
    # Issue 12 : un CDI continu du 08/01/2024 a 180 jours le 05/07/2024, mais ses « 6 mois
    # cumulés » ne sont pas atteints avant ses 6 mois de date à date, le 07/07/2024 (le jour de
    # sa propre règle « CDI de 6 mois »).
    cas(
        "agenais",
        "contrats-successifs",
        [contrat("cdi", "gifi", "2024-01-08")],
        "2024-07-07",
        id="agenais-successifs-cdi-continu-6-mois-de-date-a-date",
    ),
    # Issue 12 : CDD 35 h du 07/12/2026 au 30/06/2027, évalué la veille de son début : prévu le
    # 06/06/2027 (le contrat à venir compte pour la prévision).
    cas(
        "agenais",
        "cdd",
        [contrat("cdd", "mairie", "2026-12-07", "2027-06-30")],
        "2027-06-06",
        id="agenais-cdd-qui-commence-demain",
    ),
    cas(
        "agenais",
        "etti",
        [
            contrat("etti", "etti-1", "2024-01-01", "2024-03-31", client="airbus"),
            contrat("etti", "etti-2", "2024-05-01", "2024-08-31", client="airbus"),
        ],
        "2024-07-31",  # 3 + 3 mois de date à date (180 jours dès le 28/07)
        id="agenais-etti-meme-client",
    ),
    cas(
        "agenais",
        "etti",
        [
            contrat("etti", "etti-1", "2024-01-01", "2024-03-31", client="airbus"),
            contrat("etti", "etti-1", "2024-05-01", "2024-08-31", client="thales"),
        ],
        None,
        id="agenais-etti-deux-clients",
    ),
    *cas_creation("agenais"),
    *cas_formation_fin_ou_6_mois("agenais"),
    # --- Bordeaux (001:L1556-1610) et Technowest (mêmes règles, à confirmer) ------------------
    *cas_bordeaux("bordeaux"),
    *cas_bordeaux("technowest"),
    # --- Grand Périgueux (001:L3193-3213) -----------------------------------------------------
    *cas_cdi("grand-perigueux"),
    *cas_cdd("grand-perigueux"),
    cas(
        "grand-perigueux",
        "interim",
        [
            contrat("interim", "a1", "2024-01-01", "2024-03-31"),
            contrat("interim", "a1", "2024-05-01", "2024-08-31"),
        ],
        "2024-07-31",  # 3 + 3 mois de date à date (180 jours dès le 28/07)
        id="grand-perigueux-interim-6-mois-sur-12",
    ),
    cas(
        "grand-perigueux",
        "interim",
        [
            contrat("interim", "a1", "2024-01-01", "2024-03-31"),
            contrat("interim", "a2", "2024-05-01", "2024-08-31"),
        ],
        None,
        id="grand-perigueux-interim-deux-agences",
    ),
    *cas_successifs_12_mois("grand-perigueux"),
    # IAE à 20 h (sans condition de temps plein) : 39 semaines le 29/09/2024.
    cas(
        "grand-perigueux",
        "iae",
        [contrat("cddi_aci", "aci", "2024-01-01", hebdo=20)],
        "2024-09-29",
        id="grand-perigueux-iae-20h",
    ),
    cas(
        "grand-perigueux",
        "iae",
        [contrat("cddi_aci", "aci", "2024-01-01", hebdo=19)],
        None,
        id="grand-perigueux-iae-19h",
    ),
    *cas_39_semaines_ou_1200_h("grand-perigueux", "etti", "etti"),
    *cas_39_semaines_ou_1200_h("grand-perigueux", "contrat-aide", "contrat_aide"),
    *cas_creation("grand-perigueux"),
    *cas_formation_fin_ou_6_mois("grand-perigueux"),
    # --- Flandre Lys (002:L92-98) ----------------------------------------------------------------
    cas(
        "flandre-lys",
        "contrat-6-mois",
        [contrat("cdi", "gifi", "2024-01-08", hebdo=24)],
        "2024-07-07",
        id="flandre-lys-cdi-temps-partiel",
    ),
    cas(
        "flandre-lys",
        "contrat-6-mois",
        [contrat("cesu", "famille", "2024-01-08", hebdo=10)],
        "2024-07-07",
        id="flandre-lys-cesu",
    ),
    cas(
        "flandre-lys",
        "contrat-6-mois",
        [contrat("cdd", "mairie", "2026-12-07", "2027-06-30")],
        "2027-06-06",
        id="flandre-lys-cdd-qui-commence-demain",
    ),
    cas(
        "flandre-lys",
        "contrat-6-mois",
        [contrat("contrat_aide", "cui-cae", "2024-01-08")],
        None,
        id="flandre-lys-cui-cae-exclu",
    ),
    cas(
        "flandre-lys",
        "contrat-6-mois",
        [contrat("etti", "ctti", "2024-01-08")],
        None,
        id="flandre-lys-ctti-exclu",
    ),
    # « 1 215 h sur 12 mois de date à date » : mission A (15/03-30/06/2023, 540 h) + B (5 h/jour
    # dès le 01/11/2023). Le 14/03/2024, la fenêtre va du 15/03/2023 au 14/03/2024 : 540 h de A et
    # 135 jours de B (675 h) = 1 215 h. La veille : 1 210 h. Un jour de fenêtre en moins ferait
    # perdre 5 h de A et la règle ne serait jamais remplie.
    cas(
        "flandre-lys",
        "interim-1215h",
        [
            contrat("interim", "a1", "2023-03-15", "2023-06-30", heures=540),
            contrat("interim", "a2", "2023-11-01"),
        ],
        "2024-03-14",
        id="flandre-lys-interim-1215h-date-a-date",
    ),
    cas(
        "flandre-lys",
        "contrat-aide",
        [contrat("contrat_aide", "ccas", "2024-02-01", "2024-12-31")],
        "2024-02-01",
        id="flandre-lys-contrat-aide",
    ),
    cas(
        "flandre-lys",
        "contrat-aide",
        [contrat("cddi_aci", "aci", "2024-02-01", "2024-12-31")],
        None,
        id="flandre-lys-aci-exclu",
    ),
    *cas_formation_entree("flandre-lys"),
    *cas_creation("flandre-lys"),
    # --- Dijon (003:L123-131) --------------------------------------------------------------------
    cas(
        "dijon",
        "cdi",
        [contrat("cdi", "x", "2024-01-08", hebdo=17.5)],
        "2024-07-07",
        id="dijon-cdi-mi-temps",
    ),
    cas(
        "dijon",
        "cdi",
        [contrat("cdi", "x", "2024-01-08", hebdo=15)],
        None,
        id="dijon-cdi-15h-sans-accord",
    ),
    cas(
        "dijon",
        "cdi",
        [contrat("cdi", "x", "2024-01-08", hebdo=15)],
        "2024-07-07",
        accord=True,
        id="dijon-cdi-15h-accord",
    ),
    cas(
        "dijon",
        "interim",
        [
            contrat("interim", "a1", "2024-01-01", "2024-03-31"),
            contrat("interim", "a2", "2024-05-01", "2024-09-30"),
        ],
        "2024-07-31",  # 3 + 3 mois de date à date (180 jours dès le 28/07)
        id="dijon-interim-6-mois-dans-12",
    ),
    # « 6 mois dans les 12 » : A (90 jours, T1 2023) sort de la fenêtre pendant que B (dès le
    # 01/11/2023) avance ; B seul atteint 180 jours le 28/04/2024 (sans fenêtre : 29/01/2024),
    # ses 6 mois de date à date le 30/04/2024.
    cas(
        "dijon",
        "interim",
        [
            contrat("interim", "a1", "2023-01-01", "2023-03-31"),
            contrat("interim", "a2", "2023-11-01"),
        ],
        "2024-04-30",
        id="dijon-interim-fenetre-glissante",
    ),
    cas(
        "dijon",
        "cdd",
        [
            contrat("cdd", "x", "2024-01-01", "2024-03-31", hebdo=20),
            contrat("cdd", "y", "2024-05-01", "2024-09-30", hebdo=20),
        ],
        "2024-07-31",  # 3 + 3 mois de date à date (180 jours dès le 28/07)
        id="dijon-cdd-successifs",
    ),
    cas(
        "dijon",
        "cdd",
        [contrat("cdd", "x", "2024-01-01", "2024-12-31", hebdo=12)],
        None,
        id="dijon-cdd-12h-sans-accord",
    ),
    *cas_formation_entree("dijon"),
    *cas_creation("dijon"),
    cas(
        "dijon",
        "contrat-aide",
        [contrat("contrat_aide", "ccas", "2024-02-01", "2024-12-31")],
        "2024-07-31",
        id="dijon-contrat-aide",
    ),
    cas(
        "dijon",
        "aci-senior",
        [contrat("cddi_aci", "aci", "2024-01-15", "2024-12-31")],
        "2024-07-14",
        age=56,
        id="dijon-aci-56-ans",
    ),
    cas(
        "dijon",
        "aci-senior",
        [contrat("cddi_aci", "aci", "2024-01-15", "2024-12-31")],
        "2024-07-14",
        age=55,
        id="dijon-aci-55-ans",
    ),
    cas(
        "dijon",
        "aci-senior",
        [contrat("cddi_aci", "aci", "2024-01-15", "2024-12-31")],
        None,
        age=54,
        id="dijon-aci-54-ans",
    ),
    cas(
        "dijon",
        "aci-senior",
        [contrat("cddi_aci", "aci", "2024-01-15", "2024-12-31")],
        None,
        age=None,
        id="dijon-aci-age-inconnu",
    ),
    # --- Pas-de-Calais (004:L95-98) : qualifiés dès l'embauche selon la durée prévue ------------
    cas("pas-de-calais", "cdi", [contrat("cdi", "x", "2025-02-03")], "2025-02-03", id="pdc-cdi"),
    cas(
        "pas-de-calais",
        "cui-cie-cdi",
        [contrat("contrat_aide", "x", "2025-02-03")],
        "2025-02-03",
        id="pdc-cui-cie-cdi",
    ),
    cas(
        "pas-de-calais",
        "cui-cie-cdi",
        [contrat("contrat_aide", "x", "2025-02-03", "2026-02-02")],
        None,
        id="pdc-cui-cie-cdd-pas-durable",
    ),
    # 6 mois du 03/02/2025 : terme le 02/08/2025.
    cas(
        "pas-de-calais",
        "cdd-6-mois",
        [contrat("cdd", "x", "2025-02-03", "2025-08-02")],
        "2025-02-03",
        id="pdc-cdd-6-mois-pile",
    ),
    cas(
        "pas-de-calais",
        "cdd-6-mois",
        [contrat("cdd", "x", "2025-02-03", "2025-08-01")],
        None,
        id="pdc-cdd-6-mois-moins-un-jour",
    ),
    cas(
        "pas-de-calais",
        "mission-6-mois",
        [contrat("interim", "a", "2025-01-06", "2025-07-05")],
        "2025-01-06",
        id="pdc-mission-6-mois",
    ),
    cas(
        "pas-de-calais",
        "mission-6-mois",
        [contrat("interim", "a", "2025-01-06", "2025-07-04")],
        None,
        id="pdc-mission-6-mois-moins-un-jour",
    ),
    cas(
        "pas-de-calais",
        "alternance-fonction-publique",
        [contrat("apprentissage", "cfa", "2025-09-01", "2027-08-31")],
        "2025-09-01",
        id="pdc-apprentissage",
    ),
    cas(
        "pas-de-calais",
        "alternance-fonction-publique",
        [contrat("fonction_publique", "mairie", "2025-03-01")],
        "2025-03-01",
        id="pdc-fonction-publique",
    ),
    cas(
        "pas-de-calais",
        "cdd-3-mois",
        [contrat("cdd", "x", "2025-02-03", "2025-05-02")],
        "2025-02-03",
        id="pdc-cdd-3-mois-pile",
    ),
    cas(
        "pas-de-calais",
        "cdd-3-mois",
        [contrat("cdd", "x", "2025-02-03", "2025-05-01")],
        None,
        id="pdc-cdd-3-mois-moins-un-jour",
    ),
    cas(
        "pas-de-calais",
        "mission-3-mois",
        [contrat("interim", "a", "2025-03-31", "2025-06-30")],
        "2025-03-31",
        id="pdc-mission-3-mois-fin-de-mois",
    ),
    cas(
        "pas-de-calais",
        "contrat-aide-3-mois",
        [contrat("contrat_aide", "x", "2025-02-03", "2025-05-02")],
        "2025-02-03",
        id="pdc-contrat-aide-3-mois",
    ),
    cas(
        "pas-de-calais",
        "contrat-aide-3-mois",
        [contrat("contrat_aide", "x", "2025-02-03", "2025-04-30")],
        None,
        id="pdc-contrat-aide-moins-de-3-mois",
    ),
    cas(
        "pas-de-calais",
        "formation-qualifiante",
        [contrat("formation_qualifiante", "afpa", "2025-04-07", "2025-12-19", hebdo=None)],
        "2025-04-07",
        id="pdc-formation",
    ),
    cas(
        "pas-de-calais",
        "siae",
        [contrat("cddi_ei", "ei", "2025-05-05", "2025-11-04")],
        "2025-05-05",
        id="pdc-siae",
    ),
]


@pytest.mark.parametrize(("referentiel", "code", "contrats", "attendu", "age", "accord"), CAS)
def test_regle(referentiel, code, contrats, attendu, age, accord):
    r = regle(referentiel, code)
    if attendu is None:
        bilan = r.evaluer(situation(LOIN, *contrats, age=age, accord=accord))
        assert (bilan.atteint_le, bilan.previsionnel_le) == (None, None), bilan.explication
        return
    jour = d(attendu)
    veille = r.evaluer(situation(jour - UN_JOUR, *contrats, age=age, accord=accord))
    assert veille.atteint_le is None, veille.explication
    assert veille.previsionnel_le == jour, veille.explication
    ce_jour = r.evaluer(situation(jour, *contrats, age=age, accord=accord))
    assert (ce_jour.atteint_le, ce_jour.previsionnel_le) == (jour, None), ce_jour.explication
    assert r.remplie_le(situation(jour, *contrats, age=age, accord=accord), jour)
    assert not r.remplie_le(situation(jour, *contrats, age=age, accord=accord), jour - UN_JOUR)


def test_chaque_regle_de_chaque_referentiel_a_des_exemples():
    couvertes = {(p.values[0], p.values[1]) for p in CAS}
    attendues = {
        (ref, r.code)
        for ref in referentiels_avec_sortie()
        for r in sortie(ref).regles
        if not r.manuel
    }
    assert attendues - couvertes == set()
    assert {
        "agenais",
        "bordeaux",
        "dijon",
        "flandre-lys",
        "grand-perigueux",
        "pas-de-calais",
        "technowest",
    } <= set(referentiels_avec_sortie())
    # Un exemple qui n'est jamais rempli et un qui l'est, pour chaque référentiel.
    for ref in referentiels_avec_sortie():
        assert {p.values[3] is None for p in CAS if p.values[0] == ref} == {True, False}


# --- Choix entre règles et explications (evaluer_sortie) ---------------------------------------


def test_exemple_du_domaine_1215_h_explique():
    q = evaluer_sortie(
        sortie("flandre-lys"),
        situation(
            "2024-06-30",
            contrat("interim", "a1", "2023-03-15", "2023-06-30", heures=540),
            contrat("interim", "a2", "2023-11-01", "2024-06-30"),
        ),
    )
    assert q.as_dict() == {
        "qualifie": True,
        "categorie": "emploi_durable",
        "regle": "interim-1215h",
        "atteint_le": "2024-03-14",
        "previsionnel_le": None,
        "validation_commission_requise": False,
        "explication": "Sortie positive « Intérim : 1 215 h sur 12 mois de date à date » (emploi "
        "durable) : 1 215 h de travail temporaire sur 12 mois glissants, atteint le 14/03/2024.",
    }


def test_plusieurs_regles_remplies_la_premiere_atteinte_l_emporte():
    # Intérim de 3 mois et demi en 2023 (transition dès l'embauche), puis CDI en 2024 (durable).
    contrats = (
        contrat("interim", "a1", "2023-09-04", "2023-12-22"),
        contrat("cdi", "gifi", "2024-01-08"),
    )
    q = evaluer_sortie(sortie("pas-de-calais"), situation("2024-06-30", *contrats))
    assert (q.regle, q.categorie, q.atteint_le) == (
        "mission-3-mois",
        "emploi_transition",
        d("2023-09-04"),
    )
    # Les deux le même jour (CDD de 8 mois : durable et de transition) : l'ordre du référentiel.
    q = evaluer_sortie(
        sortie("pas-de-calais"),
        situation("2025-06-30", contrat("cdd", "x", "2025-02-03", "2025-10-02")),
    )
    assert (q.regle, q.categorie) == ("cdd-6-mois", "emploi_durable")


def test_aucune_regle_la_plus_proche_et_ce_qui_manque():
    contrats = (
        contrat("interim", "agence-1", "2023-09-04", "2023-12-22", heures=560),
        contrat("cdi", "gifi", "2024-01-08", hebdo=24),
    )
    # Avec l'accord du participant pour un temps partiel, le CDI à 24 h compte : 6 mois dans le
    # poste le 07/07. Les « 6 mois cumulés » (180 jours dès le 05/07) ne le devancent pas : ils
    # ne sont jamais atteints avant les 6 mois de date à date de la même période continue.
    q = evaluer_sortie(sortie("agenais"), situation("2024-06-30", *contrats, accord=True))
    assert (q.qualifie, q.regle, q.atteint_le, q.previsionnel_le) == (
        False,
        "cdi",
        None,
        d("2024-07-07"),
    )
    assert q.explication == (
        "Aucune règle de sortie positive remplie au 30/06/2024. La plus proche : « CDI de 6 mois "
        "ou plus » (emploi durable) : 6 mois sans interruption de CDI chez « gifi » : 175 jours "
        "depuis le 08/01/2024 au 30/06/2024, il manque 7 jours. Atteinte prévue le 07/07/2024 si "
        "les contrats en cours se poursuivent."
    )
    successifs = regle("agenais", "contrats-successifs")
    bilan = successifs.evaluer(situation("2024-07-05", *contrats, accord=True))
    assert (bilan.atteint_le, bilan.previsionnel_le) == (None, d("2024-07-07"))
    assert bilan.explication == (
        "6 mois cumulés (180 jours) de contrats (CDI, CDD, apprentissage, professionnalisation) "
        "sur 9 mois glissants : 180 jours au 05/07/2024, mais 5,9 mois de date à date sur ces "
        "périodes (6 requis)"
    )
    q = evaluer_sortie(sortie("dijon"), situation("2024-06-30", *contrats))
    assert (q.regle, q.previsionnel_le) == ("cdi", d("2024-07-07"))
    assert q.explication == (
        "Aucune règle de sortie positive remplie au 30/06/2024. La plus proche : « CDI à mi-temps "
        "minimum (ou moins sur accord) après 6 mois dans l'entreprise » (emploi durable) : 6 mois "
        "sans interruption de CDI chez « gifi » : 175 jours depuis le 08/01/2024 au 30/06/2024, il "
        "manque 7 jours. Atteinte prévue le 07/07/2024 si les contrats en cours se poursuivent."
    )
    # Sans accord, le CDI est écarté : la plus avancée est l'intérim (422,5 h sur 900 dans la
    # fenêtre du 01/10/2023 au 30/06/2024), qui ne progressera plus.
    q = evaluer_sortie(sortie("agenais"), situation("2024-06-30", *contrats))
    assert (q.qualifie, q.regle, q.previsionnel_le) == (False, "interim-900h", None)
    assert ": 422,5 h au 30/06/2024, il manque 477,5 h." in q.explication
    assert q.explication.endswith("Non atteignable avec les contrats connus.")


def test_aucune_regle_atteignable_explique_les_contrats_ecartes():
    q = evaluer_sortie(
        sortie("bordeaux"),
        situation("2024-12-31", contrat("cdi", "gifi", "2024-01-08", hebdo=24)),
    )
    assert (q.qualifie, q.previsionnel_le) == (False, None)
    assert "Non atteignable avec les contrats connus." in q.explication
    assert (
        "CDI chez « gifi » : 24 h par semaine, moins qu'un temps plein (35 h) sans accord du "
        "participant pour un temps partiel" in q.explication
    )


def test_heures_en_cours_et_manque_formates_a_la_francaise():
    q = evaluer_sortie(
        sortie("agenais"),
        situation(
            "2024-02-15", contrat("interim", "agence-1", "2023-09-04", "2023-12-22", heures=560)
        ),
    )
    # Fenêtre du 16/05/2023 au 15/02/2024 : toute la mission, 560 h ; il manque 340 h.
    assert "900 h de travail temporaire chez « agence-1 » sur 9 mois glissants : 560 h" in (
        q.explication
    )
    assert "il manque 340 h" in q.explication


def test_validation_de_la_commission_et_regle_manuelle_jamais_evaluee():
    q = evaluer_sortie(
        sortie("agenais"),
        situation("2025-03-31", contrat("contrat_aide", "mairie", "2024-03-01", hebdo=20)),
    )
    assert (q.qualifie, q.regle, q.validation_commission_requise) == (True, "contrat-aide", True)
    assert q.explication.endswith("Validation de la commission requise.")
    # « Cas particulier » : décidé par la commission, jamais proposé par le moteur.
    q = evaluer_sortie(sortie("agenais"), situation("2025-03-31"))
    assert q.regle != "cas-particulier"
    assert q.qualifie is False


def test_sans_aucun_contrat_pas_de_regle_la_plus_proche():
    q = evaluer_sortie(sortie("agenais"), situation("2025-03-31"))
    assert q.as_dict() == {
        "qualifie": False,
        "categorie": None,
        "regle": None,
        "atteint_le": None,
        "previsionnel_le": None,
        "validation_commission_requise": False,
        "explication": "Aucun contrat enregistré au 31/03/2025 : aucune règle de sortie positive "
        "ne peut encore être remplie.",
    }


def test_referentiel_sans_regle():
    q = evaluer_sortie(lire({}), situation("2024-06-30", contrat("cdi", "x", "2020-01-01")))
    assert q.as_dict()["qualifie"] is False
    assert q.explication == "Le référentiel ne définit aucune règle de sortie positive évaluable."


def test_contrat_futur_donne_une_date_previsionnelle():
    q = evaluer_sortie(
        sortie("dijon"),
        situation("2024-06-30", contrat("formation_qualifiante", "afpa", "2024-09-02", hebdo=None)),
    )
    assert (q.qualifie, q.regle, q.previsionnel_le) == (
        False,
        "formation-qualifiante",
        d("2024-09-02"),
    )
