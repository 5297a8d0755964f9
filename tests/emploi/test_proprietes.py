"""Propriétés du moteur de sortie (hypothesis), sur les règles des référentiels du dépôt.

- L'ordre des contrats ne change jamais le résultat.
- Ajouter un contrat ne retire jamais une qualification (et ne la retarde pas).
- `atteint_le` est le premier jour où la règle est remplie : remplie ce jour-là, pas la veille.
- Règles sans fenêtre glissante (dès le début, à la fin, durée sans interruption, cumul sans
  fenêtre) : remplies un jour, elles le sont tous les jours suivants.
- Règles à fenêtre glissante (heures, semaines ou mois cumulés sur N mois) : remplies le jour D,
  elles le sont encore le jour D' ≥ D tant que la fenêtre de D' commence au plus tard au premier
  jour travaillé de la fenêtre de D (rien de ce qui était compté n'en est sorti).
"""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.emploi.qualification import evaluer_sortie, regles_evaluables
from parcours.referentiel import calendrier
from tests.emploi.outils import contrat, referentiels_avec_sortie, situation, sortie

ORIGINE = datetime.date(2023, 1, 1)
TYPES = [
    "cdi",
    "cdd",
    "interim",
    "contrat_aide",
    "cddi_aci",
    "etti",
    "cesu",
    "creation_entreprise",
    "formation_qualifiante",
    "apprentissage",
]
REGLAGES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def contrats(draw):
    debut = ORIGINE + datetime.timedelta(days=draw(st.integers(0, 540)))
    duree = draw(st.one_of(st.none(), st.integers(0, 400)))
    fin = None if duree is None else debut + datetime.timedelta(days=duree)
    heures = None
    if fin is not None and draw(st.booleans()):
        heures = draw(st.integers(0, 2000))
    return contrat(
        draw(st.sampled_from(TYPES)),
        draw(st.sampled_from(["a", "b", "c"])),
        debut.isoformat(),
        fin.isoformat() if fin else None,
        hebdo=draw(st.sampled_from([None, 10, 17.5, 20, 24, 35])),
        heures=heures,
        client=draw(st.sampled_from([None, "x", "y"])),
    )


@st.composite
def situations(draw, min_contrats=0):
    liste = draw(st.lists(contrats(), min_size=min_contrats, max_size=4))
    date = ORIGINE + datetime.timedelta(days=draw(st.integers(150, 900)))
    return situation(
        date,
        *liste,
        age=draw(st.sampled_from([None, 30, 56])),
        accord=draw(st.booleans()),
    )


REFERENTIELS = st.sampled_from(referentiels_avec_sortie())


@REGLAGES
@given(REFERENTIELS, situations(min_contrats=2), st.randoms(use_true_random=False))
def test_l_ordre_des_contrats_ne_compte_pas(referentiel, s, hasard):
    melanges = list(s.contrats)
    hasard.shuffle(melanges)
    autre = situation(s.date, *melanges, age=s.age, accord=s.accord_temps_partiel)
    assert evaluer_sortie(sortie(referentiel), s) == evaluer_sortie(sortie(referentiel), autre)


@REGLAGES
@given(REFERENTIELS, situations(min_contrats=1), contrats())
def test_ajouter_un_contrat_ne_retire_pas_la_qualification(referentiel, s, nouveau):
    avant = evaluer_sortie(sortie(referentiel), s)
    apres = evaluer_sortie(
        sortie(referentiel),
        situation(s.date, *s.contrats, nouveau, age=s.age, accord=s.accord_temps_partiel),
    )
    if avant.qualifie:
        assert apres.qualifie
        assert apres.atteint_le <= avant.atteint_le


def _premier_jour_travaille(regle, s, de):
    """Premier jour ≥ `de` couvert par un contrat des types de la règle (ou None)."""
    jours = [
        max(c.debut, de)
        for c in s.contrats
        if c.type in regle.types and (c.fin is None or c.fin >= de)
    ]
    return min(jours, default=None)


@REGLAGES
@given(REFERENTIELS, situations(min_contrats=1), st.integers(0, 400), st.data())
def test_premier_jour_et_persistance(referentiel, s, plus_tard, data):
    regles = [r for r in regles_evaluables(sortie(referentiel)) if not r.manuel]
    regle = data.draw(st.sampled_from(regles))
    bilan = regle.evaluer(s)
    if bilan.atteint_le is None:
        assert not regle.remplie_le(s, s.date)
        return
    jour = bilan.atteint_le
    assert regle.remplie_le(s, jour)
    assert not regle.remplie_le(s, jour - datetime.timedelta(days=1))
    ensuite = jour + datetime.timedelta(days=plus_tard)
    a_fenetre = regle.fenetre_mois is not None
    if a_fenetre:
        premier = _premier_jour_travaille(
            regle, s, calendrier.debut_fenetre(jour, regle.fenetre_mois)
        )
        if calendrier.debut_fenetre(ensuite, regle.fenetre_mois) > premier:
            return  # des jours comptés le jour D sont sortis de la fenêtre : plus de garantie
    assert regle.remplie_le(s, ensuite), (regle.code, jour, ensuite)
