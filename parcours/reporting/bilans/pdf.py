"""Le bilan en PDF (WeasyPrint, gabarit reporting/bilan_pdf.html) : une page de titre (PLIE,
période ou opération, date d'édition, auteur, emblème européen et « Cofinancé par l'Union
européenne »), puis une section par indicateur : titre, définition, graphique, tableau."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import HTML

from parcours.core.embleme import etoiles_embleme_ue
from parcours.core.nombres import nombre
from parcours.reporting.bilans.graphique import graphique_svg

MENTION_UE = "Cofinancé par l'Union européenne"


def _texte(valeur) -> str:
    """Une cellule écrite à la française (« 1 500 », « 12,5 », « 31/01/2026 »)."""
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float | Decimal):
        return nombre(valeur, 1)
    if isinstance(valeur, int):
        return nombre(valeur)
    if isinstance(valeur, datetime.date):
        return f"{valeur:%d/%m/%Y}"
    return str(valeur)


def _numerique(valeur) -> bool:
    return isinstance(valeur, int | float | Decimal) and not isinstance(valeur, bool)


def _section(tableau) -> dict:
    return {
        "code": tableau.code,
        "titre": tableau.titre,
        "definition": tableau.definition,
        "unite": tableau.unite,
        # Nos propres balises, libellés échappés par graphique_svg.
        "graphique": mark_safe(graphique_svg(tableau)),  # noqa: S308
        "colonnes": tableau.colonnes,
        "lignes": [
            [{"texte": _texte(v), "n": _numerique(v)} for v in ligne] for ligne in tableau.lignes
        ],
    }


def bilan_pdf(bilan) -> bytes:
    contexte = {
        "bilan": bilan,
        "plie": bilan.plie,
        "edite_le": timezone.localtime(bilan.edite_le),
        "sections": [_section(t) for t in bilan.tableaux],
        "mention_ue": MENTION_UE,
        "etoiles": etoiles_embleme_ue(),
    }
    html = render_to_string("reporting/bilan_pdf.html", contexte)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
