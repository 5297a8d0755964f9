"""Arithmétique de calendrier du référentiel : règles de sortie (docs/sortie.md, « Calendrier »)
et durées de l'éligibilité (âge, ancienneté d'un statut, mois sans emploi).

Un seul endroit pour les mois révolus, les mois, les semaines, les fenêtres glissantes, les
durées dans le poste, les heures d'une fenêtre et l'enchaînement des contrats. Tout est en jours
calendaires, bornes incluses : un contrat du 08/01 au 07/07 couvre les deux jours.

Conventions (choisies, documentées, testées) :
- **N mois dans le poste** depuis le jour `d` sont complets le jour `terme(d, N)` = d + N mois
  − 1 jour (« de date à date » : du 08/01 au 07/07 font 6 mois). Quand le mois d'arrivée n'a pas
  le quantième de départ (31/03 + 1 mois), la période s'achève le dernier jour de ce mois
  (30/04), comme les délais en mois du Code civil (art. 641).
- **N mois glissants finissant le jour D** : du jour `debut_fenetre(D, N)` = D + 1 jour − N mois
  au jour D inclus (12 mois au 14/03/2024 : du 15/03/2023 au 14/03/2024).
- **Mois cumulés** (contrats discontinus) : un nombre de jours, `jours_par_mois` (30 par défaut)
  par mois ; 6 mois cumulés = 180 jours couverts par au moins un contrat. Ils ne sont jamais
  atteints avant les mêmes périodes continues comptées en mois de date à date
  (`mois_couverts` : un CDI du 08/01 fait 6 mois le 07/07, pas le 05/07 au 180e jour).
- **Semaines** : jours couverts / 7 (39 semaines = 273 jours couverts).
- **Heures** : quand les heures réalisées (`heures`) d'un contrat sont connues, elles sont
  réparties uniformément sur tous ses jours (une mission de 560 h sur 112 jours compte 5 h par
  jour, week-ends compris) ; sinon, prorata de la durée hebdomadaire : `heures_hebdo` / 7 par
  jour (35 h/semaine = 5 h par jour). Les heures de deux contrats simultanés s'additionnent ; les
  jours couverts, eux, ne se comptent qu'une fois.
- **Sans interruption** : deux contrats s'enchaînent quand le second commence au plus tard
  `tolerance` jours après le lendemain de la fin du premier (tolérance 0 : le lendemain même ;
  tolérance 2 : un week-end entre deux missions n'interrompt pas). Les jours de l'interruption
  tolérée comptent dans la durée.
"""

import datetime
from collections.abc import Iterable
from fractions import Fraction

from dateutil.relativedelta import relativedelta

UN_JOUR = datetime.timedelta(days=1)


def ajouter_mois(jour: datetime.date, mois: int) -> datetime.date:
    """`jour` + `mois` mois ; au-delà de la fin du mois d'arrivée, le dernier jour de ce mois."""
    return jour + relativedelta(months=mois)


def terme(debut: datetime.date, mois: int) -> datetime.date:
    """Le jour où `mois` mois comptés depuis `debut` (inclus) sont complets."""
    arrivee = ajouter_mois(debut, mois)
    if arrivee.day < debut.day:
        # Quantième absent du mois d'arrivée : la période s'achève le dernier jour de ce mois.
        return arrivee
    return arrivee - UN_JOUR


def mois_revolus(debut: datetime.date, fin: datetime.date) -> int:
    """Mois calendaires entiers écoulés de `debut` à `fin` (du 01/03/2023 au 01/03/2024 : 12)."""
    ecart = relativedelta(fin, debut)
    return ecart.years * 12 + ecart.months


def debut_fenetre(fin: datetime.date, mois: int) -> datetime.date:
    """Premier jour des `mois` mois glissants qui finissent le jour `fin` (inclus)."""
    return ajouter_mois(fin + UN_JOUR, -mois)


def jours(debut: datetime.date, fin: datetime.date) -> int:
    """Nombre de jours du `debut` à la `fin` incluse (0 si la fin précède le début)."""
    return max((fin - debut).days + 1, 0)


def chevauchement(
    debut: datetime.date, fin: datetime.date, de: datetime.date, a: datetime.date
) -> int:
    """Nombre de jours communs à [debut, fin] et [de, a]."""
    return jours(max(debut, de), min(fin, a))


def enchainer(
    periodes: Iterable[tuple[datetime.date, datetime.date]], tolerance: int = 0
) -> list[tuple[datetime.date, datetime.date]]:
    """Fusionne des périodes [début, fin] qui se chevauchent ou s'enchaînent sans interruption
    de plus de `tolerance` jours ; renvoie les périodes continues, triées."""
    fusion: list[list[datetime.date]] = []
    for debut, fin in sorted(periodes):
        if fusion and (debut - fusion[-1][1]).days - 1 <= tolerance:
            fusion[-1][1] = max(fusion[-1][1], fin)
        else:
            fusion.append([debut, fin])
    return [(d, f) for d, f in fusion]


def heures_par_jour(
    debut: datetime.date,
    fin: datetime.date | None,
    heures_hebdo: Fraction | None,
    heures: Fraction | None,
) -> Fraction:
    """Heures comptées pour chaque jour du contrat (voir les conventions du module)."""
    if heures is not None and fin is not None:
        return Fraction(heures) / jours(debut, fin)
    if heures_hebdo is not None:
        return Fraction(heures_hebdo) / 7
    return Fraction(0)


def heures_dans(
    debut: datetime.date,
    fin: datetime.date,
    par_jour: Fraction,
    de: datetime.date,
    a: datetime.date,
) -> Fraction:
    """Heures d'un contrat [debut, fin] (à `par_jour` heures par jour) tombant dans [de, a]."""
    return par_jour * chevauchement(debut, fin, de, a)


def mois_de_date_a_date(debut: datetime.date, fin: datetime.date) -> Fraction:
    """Mois de la période continue [debut, fin] comptés de date à date : les mois complets
    (`terme`), plus la part du mois entamé (jours faits / jours de ce mois-là). Du 08/01 au
    07/07 : 6 ; du 08/01 au 05/07/2024 : 5 + 28/30."""
    if fin < debut:
        return Fraction(0)
    mois = max(mois_revolus(debut, fin + UN_JOUR) - 1, 0)
    while mois and terme(debut, mois) > fin:
        mois -= 1
    while terme(debut, mois + 1) <= fin:
        mois += 1
    entame = terme(debut, mois) + UN_JOUR if mois else debut
    return mois + Fraction(jours(entame, fin), jours(entame, terme(debut, mois + 1)))


def mois_couverts(
    continues: Iterable[tuple[datetime.date, datetime.date]], de: datetime.date, a: datetime.date
) -> Fraction:
    """Mois de date à date des périodes continues (`enchainer`) tombant dans [de, a], additionnés
    période par période (voir `mois_de_date_a_date`)."""
    return sum(
        (mois_de_date_a_date(max(d, de), min(f, a)) for d, f in continues),
        Fraction(0),
    )


def jours_couverts(
    periodes: Iterable[tuple[datetime.date, datetime.date]], de: datetime.date, a: datetime.date
) -> int:
    """Jours de [de, a] couverts par au moins une période (chaque jour compté une fois)."""
    return sum(chevauchement(d, f, de, a) for d, f in enchainer(periodes))
