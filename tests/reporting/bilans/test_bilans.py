"""Les bilans construits sur le registre des indicateurs : PDF lu comme un lecteur, classeur
relu par openpyxl, valeurs égales à `calculer`, nombre de requêtes constant (docs/bilans.md)."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from parcours.accompagnement.models import Parcours
from parcours.reporting import graphiques
from parcours.reporting.bilans import (
    MENTION_UE,
    ORDRE_ACTIVITE,
    ORDRE_EXECUTION,
    bilan_activite,
    bilan_execution,
    bilan_pdf,
    bilan_xlsx,
    codes_du_bilan,
    graphique_svg,
)
from parcours.reporting.indicateurs import INDICATEURS, Indicateur, Tableau, calculer
from tests.pdf import nombre_de_pages, texte_pdf

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _lignes(feuille) -> list[tuple]:
    return [tuple(c for c in ligne) for ligne in feuille.iter_rows(values_only=True)]


def _classeur(contenu: bytes):
    return load_workbook(io.BytesIO(contenu), read_only=False)


def _tableau_de_feuille(feuille) -> tuple[tuple, list[tuple]]:
    """En-têtes et lignes d'une feuille d'indicateur (jusqu'à la ligne vide avant la note)."""
    lignes = _lignes(feuille)
    entetes, corps = lignes[0], []
    for ligne in lignes[1:]:
        if all(v is None for v in ligne):
            break
        corps.append(ligne)
    return entetes, corps


def _formule(filtres):
    return Tableau(
        "test_formule",
        "Indicateur ajouté plus tard",
        ("Libellé", "Nombre", "Taux"),
        [('=HYPERLINK("http://x")', 3, 0.5), ("<b>Deux</b>", 1, None)],
        graphique="barres",
        definition="Un indicateur enregistré après les bilans.",
        unite="personnes",
    )


@pytest.fixture
def indicateur_ajoute(monkeypatch):
    """Un indicateur ajouté au registre sans toucher aux bilans : il doit y entrer."""
    monkeypatch.setitem(
        INDICATEURS,
        "test_formule",
        Indicateur("test_formule", "Indicateur ajouté plus tard", _formule, "barres"),
    )


def test_les_codes_suivent_l_ordre_demande_puis_tout_le_registre(indicateur_ajoute):
    codes = codes_du_bilan(("sorties_par_type", "inconnu"))
    assert codes[0] == "sorties_par_type"
    assert "inconnu" not in codes
    assert sorted(codes) == sorted(INDICATEURS)
    # Un indicateur renommé dans le registre ne disparaît pas en silence de l'ordre choisi.
    assert set(ORDRE_ACTIVITE) | set(ORDRE_EXECUTION) <= set(INDICATEURS) - {"test_formule"}


def test_bilan_activite_pdf_page_de_titre_embleme_et_chaque_indicateur(
    monde, operations, indicateur_ajoute
):
    operations.engage()
    direction = monde.user("direction")
    direction.first_name, direction.last_name = "Claire", "Directrice"
    direction.save()
    annee = timezone.localdate().year

    bilan = bilan_activite(monde.plie1, annee, par=direction)
    contenu = bilan_pdf(bilan)

    assert contenu.startswith(b"%PDF")
    texte = texte_pdf(contenu)
    assert f"Bilan d'activité {annee}" in texte
    assert monde.plie1.nom in texte
    assert f"du 01/01/{annee} au 31/12/{annee}" in texte
    assert "Claire Directrice" in texte
    assert f"{timezone.localdate():%d/%m/%Y}" in texte
    assert MENTION_UE in texte
    for indicateur in INDICATEURS.values():
        assert indicateur.titre in texte
    assert "Un indicateur enregistré après les bilans." in texte
    # Une page de titre, puis les indicateurs.
    assert nombre_de_pages(contenu) >= 2


def test_bilan_activite_xlsx_une_feuille_par_indicateur_valeurs_du_registre(
    monde, operations, indicateur_ajoute
):
    for _ in range(2):
        operations.engage()
    operations.engage(plie=2)  # le PLIE voisin n'entre pas dans le bilan
    annee = timezone.localdate().year
    bilan = bilan_activite(monde.plie1, annee, par=monde.user("animateur"))

    classeur = _classeur(bilan_xlsx(bilan))

    assert classeur.sheetnames[0] == "Synthèse"
    assert len(classeur.sheetnames) == 1 + len(INDICATEURS)
    synthese = _lignes(classeur["Synthèse"])
    assert synthese[0][0] == f"Bilan d'activité {annee}"
    assert synthese[7][:1] == (MENTION_UE,)
    codes = [t.code for t in bilan.tableaux]
    assert codes == codes_du_bilan(ORDRE_ACTIVITE)
    for code, nom in zip(codes, classeur.sheetnames[1:], strict=True):
        attendu = calculer(code, bilan.filtres)
        entetes, corps = _tableau_de_feuille(classeur[nom])
        assert entetes == attendu.colonnes
        if code == "test_formule":
            continue
        assert corps == [tuple(ligne) for ligne in attendu.lignes]
        # La définition en note sous le tableau.
        assert f"Définition : {attendu.definition}" in _lignes(classeur[nom])[-1][0]
    entrees = dict(calculer("entrees_par_mois", bilan.filtres).lignes)
    assert entrees[f"{timezone.localdate():%m/%Y}"] == 2


def test_les_formules_sont_neutralisees_et_les_nombres_restent_des_nombres(
    monde, indicateur_ajoute
):
    bilan = bilan_activite(monde.plie1, 2025)
    classeur = _classeur(bilan_xlsx(bilan))
    nom = classeur.sheetnames[[t.code for t in bilan.tableaux].index("test_formule") + 1]
    _, corps = _tableau_de_feuille(classeur[nom])
    assert corps[0] == ('\'=HYPERLINK("http://x")', 3, 0.5)
    assert classeur[nom]["A2"].data_type == "s"
    assert "Unité : personnes." in _lignes(classeur[nom])[-1][0]


def test_bilan_execution_restreint_a_l_operation(monde, operations, derniers_mois):
    dans_a = [operations.engage("a") for _ in range(2)]
    operations.engage("b")  # participation à l'opération B, pas à A
    bilan = bilan_execution(operations.a, derniers_mois, par=operations.financeur())

    assert bilan.filtres.operations == frozenset({operations.a.pk})
    assert bilan.filtres.plies == frozenset({monde.plie1.pk})
    classeur = _classeur(bilan_xlsx(bilan))
    codes = [t.code for t in bilan.tableaux]
    assert codes[:2] == ["entrees_par_mois", "publics"]  # ORDRE_EXECUTION d'abord
    assert sorted(codes) == sorted(INDICATEURS)
    nom = classeur.sheetnames[codes.index("entrees_par_mois") + 1]
    _, corps = _tableau_de_feuille(classeur[nom])
    assert sum(n for _, n in corps) == len(dans_a)
    assert corps == [tuple(x) for x in calculer("entrees_par_mois", bilan.filtres).lignes]

    texte = texte_pdf(bilan_pdf(bilan))
    assert f"Bilan d'exécution de l'opération {operations.a.numero}" in texte
    assert operations.a.libelle in texte
    assert str(derniers_mois) in texte
    assert MENTION_UE in texte
    # Chiffres seuls : aucun nom de participant.
    for parcours in dans_a:
        assert parcours.participant.nom not in texte


def test_graphique_svg_celui_des_tableaux_de_bord():
    tableau = Tableau(
        "t",
        'Titre "cité"',
        ("Type", "Femmes", "Hommes"),
        [("A & B", 4, 2), ("<script>", 0, 1), ("Sans", None, 3)],
        graphique="barres",
    )
    svg = ET.fromstring(graphique_svg(tableau))  # du XML bien formé, libellés échappés
    textes = [t.text for t in svg.iter(f"{SVG}text")]
    assert "A & B" in textes and "<script>" in textes
    # Une barre par ligne et par série.
    assert len([r for r in svg.iter(f"{SVG}rect") if r.get("height") == "18"]) == 3 * 2
    assert graphique_svg(tableau) == str(graphiques.svg(tableau))


def test_graphique_svg_vide_sans_graphique_ou_sans_nombre():
    assert graphique_svg(Tableau("t", "T", ("A", "B"), [("x", 1)], graphique=None)) == ""
    assert graphique_svg(Tableau("t", "T", ("A", "B"), [("x", "y")], graphique="barres")) == ""
    assert graphique_svg(Tableau("t", "T", ("A", "B"), [], graphique="barres")) == ""


def _requetes_du_bilan(operation, periode) -> int:
    with CaptureQueriesContext(connection) as requetes:
        bilan = bilan_execution(operation, periode)
        bilan_xlsx(bilan)
        bilan_pdf(bilan)
    return len(requetes)


def test_nombre_de_requetes_constant_en_fonction_du_nombre_de_parcours(
    monde, operations, derniers_mois
):
    operations.engage()
    petit = _requetes_du_bilan(operations.a, derniers_mois)
    for _ in range(4):
        operations.engage()
    assert Parcours.objects.count() == 5
    assert _requetes_du_bilan(operations.a, derniers_mois) == petit
    # Quelques requêtes par indicateur, jamais une par parcours.
    assert petit <= 3 * len(INDICATEURS) + 3


def test_graphique_svg_ne_mele_pas_un_pourcentage_aux_effectifs():
    mixte = Tableau(
        "t", "T", ("Catégorie", "Sorties", "Part (%)"), [("A", 3, 75.0), ("B", 1, 25.0)], "barres"
    )
    barres_de = lambda t: [  # noqa: E731
        r for r in ET.fromstring(graphique_svg(t)).iter(f"{SVG}rect") if r.get("height") == "18"
    ]
    assert len(barres_de(mixte)) == 2  # les effectifs seuls, pas la part
    seul = Tableau("t", "T", ("Référent", "Occupation (%)"), [("A", 120), ("B", 60)], "barres")
    assert len(barres_de(seul)) == 2
