"""Les graphiques SVG des tableaux de bord : autonomes (XML valide, sans script), accessibles
(titre, description qui énonce les valeurs), nombres à la française, textes échappés."""

import xml.etree.ElementTree as ET

import pytest

from parcours.core.nombres import SEPARATEUR_MILLIERS
from parcours.reporting import graphiques
from parcours.reporting.indicateurs import Tableau

SVG = "{http://www.w3.org/2000/svg}"


def _tableau(graphique, lignes, colonnes=("Libellé", "Nombre")):
    return Tableau("essai", "Essai <b>", colonnes, lignes, graphique=graphique)


def _textes(racine):
    return [t.text for t in racine.iter(f"{SVG}text")]


@pytest.mark.parametrize("graphique", sorted(graphiques.DESSINS))
def test_chaque_graphique_est_un_svg_autonome_et_nomme(graphique):
    tableau = _tableau(
        graphique, [("A", 1500, 3), ("<script>", 2, 1)], ("Libellé", "Entrées", "Sorties")
    )
    rendu = str(graphiques.svg(tableau))
    racine = ET.fromstring(rendu)  # XML valide : entre tel quel dans un PDF WeasyPrint
    assert racine.get("role") == "img"
    assert racine.find(f"{SVG}title").text == "Essai <b>"
    desc = racine.find(f"{SVG}desc").text
    assert f"1{SEPARATEUR_MILLIERS}500" in desc
    assert "<script" not in rendu and "&lt;script&gt;" in rendu
    assert f"1{SEPARATEUR_MILLIERS}500" in _textes(racine)
    assert racine.get("aria-labelledby") == "graphique-essai-titre graphique-essai-desc"


def test_valeurs_decimales_a_la_francaise():
    rendu = str(graphiques.svg(_tableau("histogramme", [("Médiane", 12.5), ("Moyenne", 3)])))
    textes = _textes(ET.fromstring(rendu))
    assert "12,5" in textes and "3" in textes


def test_barres_empilees_ecrivent_le_total_et_la_legende():
    tableau = _tableau("barres_empilees", [("Femmes", 30, 10)], ("Public", "Entrées", "Sorties"))
    textes = _textes(ET.fromstring(str(graphiques.svg(tableau))))
    assert {"Entrées", "Sorties", "30", "10", "40"} <= set(textes)


def test_courbe_relie_un_point_par_ligne():
    tableau = _tableau("courbe", [(f"{m:02d}/2026", m) for m in range(1, 13)])
    racine = ET.fromstring(str(graphiques.svg(tableau)))
    assert len(list(racine.iter(f"{SVG}circle"))) == 12
    assert len(racine.find(f"{SVG}polyline").get("points").split()) == 12


@pytest.mark.parametrize(
    "tableau",
    [
        _tableau(None, [("A", 1)]),
        _tableau("barres", []),
        _tableau("camembert", [("A", 1)]),
    ],
)
def test_sans_graphique_rien_n_est_dessine(tableau):
    assert graphiques.svg(tableau) == ""
