"""Les graphiques des tableaux de bord et des bilans, dessinés en SVG côté serveur
(docs/tableaux_de_bord.md).

Pas de JavaScript ni de CDN : le même SVG s'affiche dans la page, s'imprime et entre tel quel
dans un PDF WeasyPrint (bilans). Chaque graphique est une image nommée (`role="img"`, `<title>`,
`<desc>` qui énonce les valeurs) et écrit ses valeurs en clair, à la française ; le tableau
dessous reste la source lisible par tous. Couleurs : la palette d'Okabe et Ito, distinguable
par les daltoniens, contrastée sur fond blanc.

    svg(tableau)  # tableau.graphique : "courbe", "barres", "histogramme", "barres_empilees"
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from parcours.core.nombres import nombre

COULEURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
LARGEUR = 640
POLICE = 'font-family="sans-serif" font-size="12"'
_GAUCHE, _DROITE, _HAUT, _BAS = 52, 16, 28, 56
_ETIQUETTES = 200  # la colonne des libellés des barres horizontales
_LIGNE = 26  # hauteur d'une barre horizontale


def _valeur(v) -> float:
    return float(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else 0.0


def _n(v: float) -> str:
    """La valeur écrite à la française, sans « ,0 » pour un entier."""
    return nombre(int(v) if v == int(v) else round(v, 2))


def _est_nombre(v) -> bool:
    return isinstance(v, int | float | Decimal) and not isinstance(v, bool)


def _series(tableau) -> list[tuple[str, list[float]]]:
    """Les colonnes qui portent des nombres (la première porte les libellés) ; une part en %
    n'est pas tracée sur l'échelle des effectifs (le tableau dessous la donne), sauf seule."""
    numeriques = [
        i
        for i in range(1, len(tableau.colonnes))
        if any(_est_nombre(ligne[i]) for ligne in tableau.lignes if len(ligne) > i)
    ]
    effectifs = [i for i in numeriques if "%" not in str(tableau.colonnes[i])]
    return [
        (tableau.colonnes[i], [_valeur(ligne[i]) for ligne in tableau.lignes])
        for i in (effectifs or numeriques)
    ]


def _max_rond(maximum: float) -> float:
    """Un plafond d'axe « rond » (1, 2, 5 × 10^n) au-dessus de `maximum`."""
    if maximum <= 0:
        return 1.0
    pas = 1.0
    while pas * 10 <= maximum:
        pas *= 10
    for facteur in (1, 2, 5, 10):
        if pas * facteur >= maximum:
            return pas * facteur
    return pas * 10


def _texte(x, y, contenu, *, ancre="middle", extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{ancre}" {POLICE}{extra}>'
        f"{escape(contenu)}</text>"
    )


def _enveloppe(tableau, hauteur: int, corps: list[str], series) -> SafeString:
    ident = f"graphique-{escape(tableau.code)}"
    resume = " ; ".join(
        f"{ligne[0]} : " + ", ".join(f"{nom} {_n(valeurs[i])}" for nom, valeurs in series)
        for i, ligne in enumerate(tableau.lignes)
    )
    legende = []
    if len(series) > 1:
        x = 8
        for i, (nom, _) in enumerate(series):
            couleur = COULEURS[i % len(COULEURS)]
            legende.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{couleur}"/>')
            legende.append(_texte(x + 16, 16, nom, ancre="start"))
            x += 28 + 7 * len(nom)
    return mark_safe(  # noqa: S308 (chaque texte du SVG passe par escape)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plie-graphique" role="img" '
        f'width="{LARGEUR}" height="{hauteur}" viewBox="0 0 {LARGEUR} {hauteur}" '
        f'aria-labelledby="{ident}-titre {ident}-desc">'
        f'<title id="{ident}-titre">{escape(tableau.titre)}</title>'
        f'<desc id="{ident}-desc">{escape(resume or "Aucune valeur.")}</desc>'
        f'<rect width="{LARGEUR}" height="{hauteur}" fill="#ffffff"/>'
        + "".join(legende)
        + "".join(corps)
        + "</svg>"
    )


def _axe_vertical(plafond, hauteur_utile, largeur_utile) -> list[str]:
    corps = []
    for k in range(5):
        valeur = plafond * k / 4
        y = _HAUT + hauteur_utile * (1 - k / 4)
        corps.append(
            f'<line x1="{_GAUCHE}" y1="{y:.1f}" x2="{_GAUCHE + largeur_utile}" y2="{y:.1f}" '
            f'stroke="#d0d4da" stroke-width="1"/>'
        )
        corps.append(_texte(_GAUCHE - 6, y + 4, _n(valeur), ancre="end"))
    return corps


def _etiquettes_x(libelles, x_de) -> list[str]:
    # Au-delà de 12 libellés, un sur deux (ou moins) : ils restent lisibles sans se chevaucher.
    pas = max(1, (len(libelles) + 11) // 12)
    return [
        _texte(x_de(i), _BAS_Y, str(libelle)) for i, libelle in enumerate(libelles) if i % pas == 0
    ]


_HAUTEUR_VERTICALE = 300
_BAS_Y = _HAUTEUR_VERTICALE - _BAS + 18


def _vertical(tableau, dessiner) -> SafeString:
    """Le cadre commun de la courbe et de l'histogramme (axe des valeurs vertical)."""
    series = _series(tableau)
    libelles = [ligne[0] for ligne in tableau.lignes]
    largeur_utile = LARGEUR - _GAUCHE - _DROITE
    hauteur_utile = _HAUTEUR_VERTICALE - _HAUT - _BAS
    plafond = _max_rond(max((v for _, vs in series for v in vs), default=0))
    n = max(len(libelles), 1)
    corps = _axe_vertical(plafond, hauteur_utile, largeur_utile)

    def y_de(v):
        return _HAUT + hauteur_utile * (1 - v / plafond)

    corps += dessiner(series, n, largeur_utile / n, y_de)
    corps += _etiquettes_x(libelles, lambda i: _GAUCHE + largeur_utile / n * (i + 0.5))
    return _enveloppe(tableau, _HAUTEUR_VERTICALE, corps, series)


def courbe(tableau) -> SafeString:
    def dessiner(series, n, pas, y_de):
        corps = []
        for s, (_, valeurs) in enumerate(series):
            couleur = COULEURS[s % len(COULEURS)]
            points = [(_GAUCHE + pas * (i + 0.5), y_de(v)) for i, v in enumerate(valeurs)]
            chemin = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            corps.append(
                f'<polyline points="{chemin}" fill="none" stroke="{couleur}" stroke-width="2.5"/>'
            )
            for (x, y), v in zip(points, valeurs, strict=True):
                corps.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{couleur}"/>')
                if n <= 24:
                    corps.append(_texte(x, y - 8, _n(v)))
        return corps

    return _vertical(tableau, dessiner)


def histogramme(tableau) -> SafeString:
    def dessiner(series, n, pas, y_de):
        corps, k = [], max(len(series), 1)
        largeur = pas * 0.9 / k
        for s, (_, valeurs) in enumerate(series):
            couleur = COULEURS[s % len(COULEURS)]
            for i, v in enumerate(valeurs):
                x = _GAUCHE + pas * i + pas * 0.05 + largeur * s
                y = y_de(v)
                corps.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{largeur:.1f}" '
                    f'height="{y_de(0) - y:.1f}" fill="{couleur}"/>'
                )
                corps.append(_texte(x + largeur / 2, y - 4, _n(v)))
        return corps

    return _vertical(tableau, dessiner)


def _horizontal(tableau, empile: bool) -> SafeString:
    """Barres horizontales (groupées, ou empilées) : les libellés longs restent lisibles."""
    series = _series(tableau)
    k = 1 if empile else max(len(series), 1)
    haut = _HAUT if len(series) > 1 else 8
    hauteur = haut + len(tableau.lignes) * _LIGNE * k + 12
    largeur_utile = LARGEUR - _ETIQUETTES - 70
    if empile:
        totaux = [sum(vs) for vs in zip(*(v for _, v in series), strict=True)] or [0]
        plafond = max(totaux, default=0) or 1
    else:
        plafond = max((v for _, vs in series for v in vs), default=0) or 1
    corps = []
    for i, ligne in enumerate(tableau.lignes):
        y0 = haut + i * _LIGNE * k
        corps.append(_texte(_ETIQUETTES - 8, y0 + _LIGNE * k / 2 + 4, str(ligne[0]), ancre="end"))
        x = _ETIQUETTES
        for s, (_, valeurs) in enumerate(series):
            couleur = COULEURS[s % len(COULEURS)]
            v = valeurs[i]
            largeur = largeur_utile * v / plafond
            y = y0 + 4 + (0 if empile else s * _LIGNE)
            corps.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{largeur:.1f}" height="{_LIGNE - 8}" '
                f'fill="{couleur}"/>'
            )
            if empile:
                if largeur > 24 and v:
                    corps.append(_texte(x + largeur / 2, y + 13, _n(v), extra=' fill="#ffffff"'))
                x += largeur
            else:
                corps.append(_texte(x + largeur + 4, y + 13, _n(v), ancre="start"))
        if empile:
            total = sum(v[i] for _, v in series)
            corps.append(_texte(x + 4, y0 + 17, _n(total), ancre="start"))
    return _enveloppe(tableau, hauteur, corps, series)


def barres(tableau) -> SafeString:
    return _horizontal(tableau, empile=False)


def barres_empilees(tableau) -> SafeString:
    return _horizontal(tableau, empile=True)


DESSINS = {
    "courbe": courbe,
    "barres": barres,
    "histogramme": histogramme,
    "barres_empilees": barres_empilees,
}


def svg(tableau) -> SafeString:
    """Le graphique du tableau, ou "" quand il n'en a pas (tableau seul), n'a aucune ligne ou
    aucun nombre à tracer. Pages des tableaux de bord et PDF des bilans."""
    dessin = DESSINS.get(tableau.graphique or "")
    if dessin is None or not tableau.lignes or not _series(tableau):
        return mark_safe("")
    return dessin(tableau)
