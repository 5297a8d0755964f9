"""Les documents PDF de la protection des données (WeasyPrint) : l'export du droit d'accès et la
notice d'information remise à la prescription. Remis à la personne, ils portent la mention
« Cofinancé par l'Union européenne » (DOMAIN §7, seed 001:L7769)."""

from django.template.loader import render_to_string

from parcours.accompagnement.pdf import MENTION_UE, embleme_ue


def _pdf(gabarit: str, contexte: dict) -> bytes:
    import weasyprint

    html = render_to_string(
        gabarit, {**contexte, "mention_ue": MENTION_UE, "embleme_ue": embleme_ue()}
    )
    return weasyprint.HTML(string=html).write_pdf()


def pdf_droit_acces(export) -> bytes:
    return _pdf("rgpd/droit_acces.html", {"export": export})


def pdf_notice(plie, regles) -> bytes:
    return _pdf("rgpd/notice.html", {"plie": plie, "regles": regles})
