"""Le procès-verbal d'une session, en PDF (WeasyPrint, gabarit commissions/pv.html)."""

from collections import Counter

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from parcours.commissions.enums import TypeDecision
from parcours.core.embleme import etoiles_embleme_ue


def _suite(decision, report) -> str:
    if decision.type == TypeDecision.ADMIS:
        return f"Référent : {decision.referent} ({decision.structure})"
    texte = f"Motif : {decision.motif}" if decision.motif else ""
    if decision.type == TypeDecision.AJOURNE and report is not None:
        texte += f" — reporté à la session du {timezone.localtime(report.session.date):%d/%m/%Y}"
    return texte


def contexte_proces_verbal(session, nom_commission, lignes, reports) -> dict:
    """`lignes` : l'ordre du jour décidé (`services.lignes_de_session`) ; `reports` : parcours →
    inscription à la session suivante créée par un ajournement (ou None)."""
    tableau = []
    for numero, ligne in enumerate(lignes, start=1):
        parcours, decision = ligne.parcours, ligne.decision
        prescripteur = " — ".join(
            str(x) for x in (parcours.prescripteur, parcours.structure_prescriptrice) if x
        )
        tableau.append(
            {
                "numero": numero,
                "participant": str(parcours.participant),
                "objet": ligne.get_objet_display(),
                "prescripteur": prescripteur or "Venue de sa propre initiative",
                "decision": decision.get_type_display(),
                "suite": _suite(decision, reports.get(parcours.pk)),
            }
        )
    comptes = Counter(ligne.decision.type for ligne in lignes)
    return {
        "plie": session.plie,
        "nom_commission": nom_commission,
        "session": session,
        "date": timezone.localtime(session.date),
        "territoire": str(session.territoire) if session.territoire_id else "Tout le PLIE",
        "president": str(session.president) if session.president_id else "",
        "presents": [str(u) for u in session.presents.order_by("last_name", "first_name")],
        "lignes": tableau,
        "comptes": [(t.label, comptes[t]) for t in TypeDecision if comptes[t]],
        "etablie_le": timezone.localtime(session.cloturee_le or timezone.now()),
        "etoiles": etoiles_embleme_ue(),
    }


def generer_proces_verbal(session, nom_commission, lignes, reports) -> bytes:
    html = render_to_string(
        "commissions/pv.html", contexte_proces_verbal(session, nom_commission, lignes, reports)
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
