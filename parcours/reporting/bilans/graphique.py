"""Le graphique d'un indicateur dans les bilans : un SVG autonome, en barres horizontales.

Un seul point d'appel (`graphique_svg`, appelé par pdf.py) : le rendu des tableaux de bord
pourra le remplacer sans toucher au reste des bilans. Chaque colonne numérique du tableau
donne une série (une barre par ligne et par série, couleur par série, légende en dessous)."""

from decimal import Decimal
from xml.sax.saxutils import escape

from parcours.core.nombres import nombre

COULEURS = ("#003399", "#e07b00", "#2e8b57", "#8b1a4a", "#6a5acd", "#708090")
LARGEUR, MARGE_LIBELLE, MARGE_VALEUR = 640, 210, 60
HAUTEUR_BARRE, ECART_LIGNE = 12, 8
LIBELLE_MAX = 34  # caractères : au-delà, coupé (le tableau sous le graphique le donne en entier)


def _valeur(v) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, Decimal)):
        return float(v)
    return None


def _series(tableau) -> list[int]:
    """Les colonnes (hors libellés) qui portent au moins un nombre ; un pourcentage n'est pas
    tracé sur l'échelle des effectifs (le tableau le donne), sauf s'il est seul."""
    numeriques = [
        i
        for i in range(1, len(tableau.colonnes))
        if any(_valeur(ligne[i]) is not None for ligne in tableau.lignes if len(ligne) > i)
    ]
    effectifs = [i for i in numeriques if "%" not in str(tableau.colonnes[i])]
    return effectifs or numeriques


def _court(texte: str) -> str:
    texte = str(texte)
    return texte if len(texte) <= LIBELLE_MAX else texte[: LIBELLE_MAX - 1] + "…"


def graphique_svg(tableau) -> str:
    """Le SVG du tableau (chaîne), ou "" s'il n'a ni graphique prévu ni nombre à tracer."""
    series = _series(tableau)
    if tableau.graphique is None or not series or not tableau.lignes:
        return ""
    maximum = max(
        (max(_valeur(ligne[i]) or 0, 0) for ligne in tableau.lignes for i in series), default=0
    )
    echelle = (LARGEUR - MARGE_LIBELLE - MARGE_VALEUR) / maximum if maximum > 0 else 0
    hauteur_ligne = HAUTEUR_BARRE * len(series) + ECART_LIGNE
    elements, y = [], 4
    for ligne in tableau.lignes:
        milieu = y + HAUTEUR_BARRE * len(series) / 2 + 4
        elements.append(
            f'<text x="{MARGE_LIBELLE - 6}" y="{milieu:.1f}" text-anchor="end">'
            f"{escape(_court(ligne[0]))}</text>"
        )
        for rang, i in enumerate(series):
            v = _valeur(ligne[i]) or 0
            largeur = max(v, 0) * echelle
            haut = y + rang * HAUTEUR_BARRE
            couleur = COULEURS[rang % len(COULEURS)]
            elements.append(
                f'<rect x="{MARGE_LIBELLE}" y="{haut}" width="{largeur:.1f}" '
                f'height="{HAUTEUR_BARRE - 2}" fill="{couleur}"/>'
                f'<text x="{MARGE_LIBELLE + largeur + 4:.1f}" y="{haut + HAUTEUR_BARRE - 3}">'
                f"{escape(nombre(ligne[i]) if ligne[i] is not None else '')}</text>"
            )
        y += hauteur_ligne
    if len(series) > 1:
        x = MARGE_LIBELLE
        y += 6
        for rang, i in enumerate(series):
            couleur = COULEURS[rang % len(COULEURS)]
            elements.append(
                f'<rect x="{x}" y="{y}" width="10" height="10" fill="{couleur}"/>'
                f'<text x="{x + 14}" y="{y + 9}">{escape(str(tableau.colonnes[i]))}</text>'
            )
            x += 24 + 7 * len(str(tableau.colonnes[i]))
        y += 14
    titre = escape(str(tableau.titre), {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LARGEUR}" height="{y + 4}" '
        f'viewBox="0 0 {LARGEUR} {y + 4}" role="img" aria-label="{titre}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="9">{"".join(elements)}</svg>'
    )
