"""Documents PDF de l'accompagnement, produits avec WeasyPrint à partir des gabarits HTML.

Chaque document destiné aux participants et aux partenaires porte la mention « Cofinancé par
l'Union européenne » avec l'emblème (DOMAIN §7, seed 001:L7769).
"""

import math

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from parcours.accompagnement.models.engagement import ContratEngagement, Signataire

MENTION_UE = "Cofinancé par l'Union européenne"


def _etoile(cx: float, cy: float, rayon: float) -> str:
    points = []
    for i in range(10):
        r = rayon if i % 2 == 0 else rayon * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(f"{cx + r * math.cos(angle):.2f},{cy + r * math.sin(angle):.2f}")
    return " ".join(points)


def embleme_ue() -> str:
    """L'emblème européen en SVG : douze étoiles d'or en cercle sur fond bleu (proportions 3:2)."""
    etoiles = "".join(
        f'<polygon fill="#FFDD00" points="'
        f"{_etoile(45 + 20 * math.cos(k * math.pi / 6), 30 + 20 * math.sin(k * math.pi / 6), 3.3)}"
        '"/>'
        for k in range(12)
    )
    return mark_safe(  # noqa: S308 (SVG construit ici, sans donnée saisie)
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 90 60" width="45" height="30" '
        'role="img" aria-label="Drapeau de l\'Union européenne">'
        f'<rect width="90" height="60" fill="#003399"/>{etoiles}</svg>'
    )


def contexte_contrat(contrat: ContratEngagement) -> dict:
    parcours = contrat.parcours
    referent = parcours.referent
    return {
        "contrat": contrat,
        "parcours": parcours,
        "plie": parcours.plie,
        "participant": parcours.participant,
        "referent": referent.get_full_name() or referent.username if referent else "",
        "structure_referente": parcours.structure_referente.nom
        if parcours.structure_referente
        else "",
        "signataires": [{"code": s, "libelle": Signataire(s).label} for s in contrat.signataires],
        "animation": Signataire.ANIMATION.value in contrat.signataires,
        "objectifs": contrat.objectifs,
        "genere_le": timezone.localdate(),
        "mention_ue": MENTION_UE,
        "embleme_ue": embleme_ue(),
    }


def html_contrat(contrat: ContratEngagement) -> str:
    return render_to_string("engagement/contrat.html", contexte_contrat(contrat))


def document_contrat(contrat: ContratEngagement):
    """Le contrat mis en page (weasyprint.Document) : ses pages et le PDF."""
    import weasyprint

    return weasyprint.HTML(string=html_contrat(contrat)).render()


def pdf_contrat(contrat: ContratEngagement) -> bytes:
    return document_contrat(contrat).write_pdf()
