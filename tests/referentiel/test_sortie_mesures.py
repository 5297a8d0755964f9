"""Les mesures des règles de sortie (parcours/referentiel/sections/sortie/mesures.py) : une
mesure déclarée dans ce seul module est vérifiée à l'import du fichier, lue et calculée par le
moteur (parcours/emploi/qualification/), sans qu'aucun autre module l'énumère."""

import datetime
from fractions import Fraction

import pytest
import yaml

from parcours.emploi.qualification import evaluer_sortie
from parcours.referentiel.noyau import ReferentielInvalide
from parcours.referentiel.sections.sortie import lire, mesures
from parcours.referentiel.sections.sortie.calcul import Cumul, cumuler
from parcours.referentiel.validation import valider
from tests.emploi.outils import REFERENTIELS, contrat, situation


class JoursMin(mesures.Mesure):
    """Une mesure d'essai : N jours couverts par les contrats comptés."""

    cle = "jours_min"

    def verifier(self, v, valeur, chemin):
        v.entier(valeur, chemin, minimum=1)

    def mesurer(self, valeur, regle, periodes, date, horizon, quoi):
        cumul = Cumul(periodes, horizon, "jours")
        return cumuler(cumul, date, Fraction(valeur), None, f"{valeur} jours de {quoi}")


@pytest.fixture
def jours_min(monkeypatch):
    monkeypatch.setattr(mesures, "MESURES", (*mesures.MESURES, JoursMin()))


def section(**regle):
    return {
        "regles": [
            {"code": "essai", "libelle": "Essai", "categorie": "emploi_durable", **regle},
        ]
    }


def erreurs(section_sortie) -> list[str]:
    contenu = yaml.safe_load((REFERENTIELS / "agenais.yaml").read_text(encoding="utf-8"))
    contenu["sortie"] = section_sortie
    try:
        valider(contenu, "agenais.yaml", code_attendu="agenais")
    except ReferentielInvalide as exc:
        return [f"{e.chemin}: {e.probleme}" for e in exc.erreurs]
    return []


def test_sans_la_mesure_la_cle_est_inconnue():
    assert "sortie.regles[0].jours_min: clé inconnue" in erreurs(
        section(types=["cdd"], jours_min=10)
    )


def test_une_mesure_declaree_dans_mesures_est_verifiee(jours_min):
    assert erreurs(section(types=["cdd"], jours_min=10)) == []
    assert erreurs(section(types=["cdd"], jours_min=0)) == [
        "sortie.regles[0].jours_min: doit être supérieur ou égal à 1"
    ]
    manquante = erreurs(section(types=["cdd"]))
    assert any("au moins une mesure est attendue" in e and "jours_min" in e for e in manquante)


def test_une_mesure_declaree_dans_mesures_est_calculee(jours_min):
    regles = lire(section(types=["cdd"], jours_min=10))
    cdd = contrat("cdd", "boulangerie", "2024-03-01", "2024-08-31")
    q = evaluer_sortie(regles, situation("2024-06-30", cdd))
    assert (q.qualifie, q.regle, q.atteint_le) == (True, "essai", datetime.date(2024, 3, 10))
    assert "10 jours de CDD, atteint le 10/03/2024" in q.explication
    avant = evaluer_sortie(regles, situation("2024-03-05", cdd))
    assert not avant.qualifie
    assert avant.previsionnel_le == datetime.date(2024, 3, 10)
    assert "il manque 5 jours" in avant.explication
