"""Arithmétique de calendrier : mois, fenêtres glissantes, enchaînement, heures."""

from fractions import Fraction

import pytest

from parcours.referentiel import calendrier
from tests.emploi.outils import d


@pytest.mark.parametrize(
    ("debut", "mois", "terme"),
    [
        ("2024-01-08", 6, "2024-07-07"),  # de date à date
        ("2024-02-01", 6, "2024-07-31"),
        ("2024-01-01", 12, "2024-12-31"),
        ("2024-03-31", 1, "2024-04-30"),  # pas de 31 avril : dernier jour du mois
        ("2024-01-31", 1, "2024-02-29"),  # année bissextile
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-03-15", 6, "2024-09-14"),
        ("2024-08-31", 6, "2025-02-28"),
        ("2025-02-03", 6, "2025-08-02"),
    ],
)
def test_terme(debut, mois, terme):
    assert calendrier.terme(d(debut), mois) == d(terme)


@pytest.mark.parametrize(
    ("fin", "mois", "debut"),
    [
        ("2024-03-14", 12, "2023-03-15"),  # « 12 mois de date à date »
        ("2024-06-28", 9, "2023-09-29"),
        ("2024-02-29", 12, "2023-03-01"),
        ("2024-04-30", 1, "2024-04-01"),
        ("2024-12-31", 12, "2024-01-01"),
        ("2024-11-28", 9, "2024-02-29"),
        ("2024-11-29", 9, "2024-02-29"),  # 30 février inexistant : fenêtre d'un jour plus longue
    ],
)
def test_debut_fenetre(fin, mois, debut):
    assert calendrier.debut_fenetre(d(fin), mois) == d(debut)


def test_jours_et_chevauchement():
    assert calendrier.jours(d("2024-01-08"), d("2024-07-07")) == 182
    assert calendrier.jours(d("2024-01-08"), d("2024-01-07")) == 0
    assert (
        calendrier.chevauchement(d("2023-09-04"), d("2023-12-22"), d("2023-10-01"), d("2024-06-30"))
        == 83
    )


@pytest.mark.parametrize(
    ("tolerance", "attendu"),
    [
        # vendredi 29/03 puis lundi 01/04 : deux jours d'interruption (le week-end)
        (0, [("2024-01-01", "2024-03-29"), ("2024-04-01", "2024-07-31")]),
        (1, [("2024-01-01", "2024-03-29"), ("2024-04-01", "2024-07-31")]),
        (2, [("2024-01-01", "2024-07-31")]),
    ],
)
def test_enchainer_tolerance(tolerance, attendu):
    periodes = [(d("2024-04-01"), d("2024-07-31")), (d("2024-01-01"), d("2024-03-29"))]
    assert calendrier.enchainer(periodes, tolerance) == [(d(a), d(b)) for a, b in attendu]


def test_enchainer_lendemain_et_chevauchement():
    periodes = [
        (d("2024-01-01"), d("2024-01-31")),
        (d("2024-02-01"), d("2024-02-10")),  # le lendemain : continu même sans tolérance
        (d("2024-02-05"), d("2024-03-01")),  # chevauche
        (d("2024-03-03"), d("2024-03-04")),  # un jour d'interruption
    ]
    assert calendrier.enchainer(periodes) == [
        (d("2024-01-01"), d("2024-03-01")),
        (d("2024-03-03"), d("2024-03-04")),
    ]


def test_heures_par_jour():
    # Heures réalisées connues : réparties uniformément sur les jours du contrat.
    assert calendrier.heures_par_jour(d("2023-09-04"), d("2023-12-22"), 35, 560) == Fraction(
        560, 110
    )
    # Sinon, prorata de la durée hebdomadaire.
    assert calendrier.heures_par_jour(d("2024-01-08"), None, Fraction(24), None) == Fraction(24, 7)
    assert calendrier.heures_par_jour(d("2024-01-08"), None, None, None) == 0


def test_heures_et_jours_dans_une_fenetre():
    par_jour = calendrier.heures_par_jour(d("2023-09-04"), d("2023-12-22"), 35, 560)
    heures = calendrier.heures_dans(
        d("2023-09-04"), d("2023-12-22"), par_jour, d("2023-10-01"), d("2024-06-30")
    )
    assert heures == Fraction(83 * 560, 110)  # 83 jours sur 110 de 560 h : 422,5 h
    couverts = calendrier.jours_couverts(
        [(d("2024-01-01"), d("2024-01-10")), (d("2024-01-05"), d("2024-01-20"))],
        d("2024-01-08"),
        d("2024-02-01"),
    )
    assert couverts == 13  # du 08 au 20 janvier, chaque jour compté une fois


@pytest.mark.parametrize(
    ("debut", "fin", "mois"),
    [
        ("2024-01-08", "2024-07-07", Fraction(6)),  # de date à date
        ("2024-01-08", "2024-07-05", 5 + Fraction(28, 30)),  # le 180e jour : pas encore 6 mois
        ("2024-01-01", "2024-03-31", Fraction(3)),
        ("2024-05-01", "2024-07-28", 2 + Fraction(28, 31)),
        ("2023-01-31", "2023-02-28", Fraction(1)),  # fin de mois : le 28/02 complète le mois
        ("2023-01-31", "2023-02-27", Fraction(28, 29)),
        ("2024-01-01", "2024-01-01", Fraction(1, 31)),
        ("2024-01-02", "2024-01-01", Fraction(0)),  # fin avant le début
    ],
)
def test_mois_de_date_a_date(debut, fin, mois):
    assert calendrier.mois_de_date_a_date(d(debut), d(fin)) == mois


def test_mois_couverts_periode_par_periode_dans_une_fenetre():
    continues = calendrier.enchainer(
        [(d("2024-01-01"), d("2024-03-31")), (d("2024-05-01"), d("2024-07-31"))]
    )
    assert calendrier.mois_couverts(continues, d("2023-01-01"), d("2024-07-31")) == 6
    assert calendrier.mois_couverts(continues, d("2023-01-01"), d("2024-07-30")) == 5 + Fraction(
        30, 31
    )
    # La fenêtre coupe la première période : seul ce qui y tombe compte.
    assert calendrier.mois_couverts(continues, d("2024-02-01"), d("2024-07-31")) == 5
