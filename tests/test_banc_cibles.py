"""Les cibles du banc (issue 11) par sorte de page : bench/__main__.py `hors_cible`."""

from pathlib import Path

import pytest

from bench.__main__ import hors_cible
from bench.mesure import FICHIERS, LISTES, sorte


def mesure(ms, requetes=8, sorte_de_page="liste"):
    return {"ms": ms, "requetes": requetes, "statut": 200, "sorte": sorte_de_page}


@pytest.mark.parametrize(
    ("sorte_de_page", "petite", "grande", "attendu"),
    [
        # Listes, boîtes, accueils : ratio, 12 requêtes, 150 ms.
        ("liste", mesure(40), mesure(59), False),
        ("liste", mesure(40), mesure(61), True),
        ("liste", mesure(40, 13), mesure(41, 13), True),
        ("liste", mesure(120), mesure(151), True),
        ("liste", mesure(40, 8), mesure(41, 9), True),
        # Autres pages : 150 ms et requêtes constantes, pas de ratio ni de plafond de 12.
        ("page", mesure(20, 35, "page"), mesure(65, 35, "page"), False),
        ("page", mesure(20, 35, "page"), mesure(151, 35, "page"), True),
        ("page", mesure(20, 10, "page"), mesure(30, 11, "page"), True),
        # Fichiers : le temps suit les lignes écrites ; seules les requêtes comptent.
        ("fichier", mesure(18, 9, "fichier"), mesure(900, 9, "fichier"), False),
        ("fichier", mesure(18, 9, "fichier"), mesure(20, 10, "fichier"), True),
    ],
)
def test_hors_cible_selon_la_sorte(sorte_de_page, petite, grande, attendu):
    assert hors_cible(petite, grande) is attendu


def test_les_libelles_des_listes_sont_ceux_des_pages_mesurees():
    # Une faute de frappe rangerait une liste parmi les « autres pages », aux cibles plus larges.
    source = (Path(__file__).resolve().parents[1] / "bench" / "mesure.py").read_text()
    corps_des_pages = source.split("def pages():", 1)[1].split("\ndef ", 1)[0]
    for libelle in LISTES:
        assert f'"{libelle}"' in corps_des_pages, libelle
    assert sorte("dossier") == "page"
    assert sorte("extraction des parcours (XLSX)") == "fichier"
    assert all(sorte(f"{debut} …") == "fichier" for debut in FICHIERS)


def test_garder_ne_garde_qu_un_jeu_genere_jusqu_au_bout(db):
    """`--garder` ne garde une base du banc que si elle porte la marque posée après une
    génération complète de la même échelle ; une génération interrompue est refaite."""
    import uuid

    import psycopg
    from django.db import connection
    from psycopg import sql

    from bench.__main__ import jeu_complet, marque

    parametres = {**connection.get_connection_params(), "dbname": "postgres"}
    nom = f"banc_marque_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**parametres, autocommit=True) as serveur:
        assert not jeu_complet(serveur, nom, 1000)  # absente
        serveur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nom)))
        try:
            assert not jeu_complet(serveur, nom, 1000)  # créée, génération interrompue
            serveur.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(nom), sql.Literal(marque(1000))
                )
            )
            assert jeu_complet(serveur, nom, 1000)
            assert not jeu_complet(serveur, nom, 100_000)  # autre échelle
        finally:
            serveur.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(nom)))


def test_commandes_appariees_par_libelle_avec_leurs_lignes():
    """Une commande mesurée sur les deux bases sort sur une ligne, avec son ratio et le nombre de
    lignes traitées de chaque base (la qualification de sortie portait ce nombre dans son
    libellé : la grande base ne trouvait pas la sienne, « nan »)."""
    from bench.__main__ import tableau

    vide = {"pages": {}, "boite": {}}
    petite = {**vide, "commandes": {"qualification": {"ms": 200, "lignes": 850}}}
    grande = {**vide, "commandes": {"qualification": {"ms": 30_000, "lignes": 85_000}}}
    ligne = next(x for x in tableau(petite, grande, True, (1, 2)).splitlines() if "qualif" in x)
    assert ligne == "| qualification | 850/85000 | 200 | 30000 | ×150.0 |"


def test_tours_combines_au_plus_rapide_et_rapports_recalcules():
    """`--tours N` : chaque page et chaque boîte gardent leur tour le plus rapide ; le rapport
    « restreinte / viewflow » est refait sur les deux mesures gardées (qui peuvent venir de tours
    différents) ; les commandes, qui changent la base, viennent du premier tour."""
    from bench import boite
    from bench.__main__ import combiner

    compte = " (referent.agenais)"

    def tour(page_ms, viewflow_ms, restreinte_ms, commandes):
        mesures = {
            boite.VIEWFLOW + compte: {"ms": viewflow_ms, "taches": 9},
            boite.RESTREINTE + compte: {"ms": restreinte_ms, "taches": 9},
            boite.RAPPORT + compte: {"ms": restreinte_ms / viewflow_ms, "rapport": True},
        }
        page = {"accueil": {"ms": page_ms, "requetes": 10, "statut": 200}}
        return {"pages": page, "boite": mesures, "commandes": commandes}

    premier = tour(150, 0.25, 0.80, {"alertes": {"ms": 30}})
    second = tour(110, 0.40, 0.60, {})
    combine = combiner([premier, second])
    assert combine["pages"]["accueil"]["ms"] == 110
    assert combine["boite"][boite.VIEWFLOW + compte]["ms"] == 0.25
    assert combine["boite"][boite.RESTREINTE + compte]["ms"] == 0.60
    assert combine["boite"][boite.RAPPORT + compte]["ms"] == pytest.approx(2.4)
    assert combine["boite"][boite.RAPPORT + compte]["rapport"] is True
    assert combine["commandes"] == {"alertes": {"ms": 30}}
    assert combiner([premier]) == premier
