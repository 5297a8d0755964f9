"""Le graphique d'un indicateur dans les bilans : le même SVG que les tableaux de bord
(parcours/reporting/graphiques.py), autonome, que WeasyPrint dessine dans le PDF."""

from parcours.reporting import graphiques


def graphique_svg(tableau) -> str:
    """Le SVG du tableau (chaîne), ou "" s'il n'a ni graphique prévu ni nombre à tracer."""
    return str(graphiques.svg(tableau))
