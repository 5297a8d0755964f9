"""Les lignes de l'écran de séance : le résumé d'une ligne par dossier (âge, commune,
prescripteur, verdict d'éligibilité, motif) et ce que la ligne de décision propose (les
décisions possibles, les meilleurs référents, le référent présélectionné, ce qui a été saisi)."""

from django.utils.text import Truncator

from parcours.commissions.enums import DECISIONS_ENTREE, DECISIONS_SORTIE, ObjetDossier

CANDIDATS_PAR_LIGNE = 5  # les meilleurs référents proposés par ligne ; les autres se cherchent
MOTIF_RESUME = 140  # caractères du motif de prescription dans le résumé


def age(naissance, le) -> int:
    return le.year - naissance.year - ((le.month, le.day) < (naissance.month, naissance.day))


def verdict_eligibilite(prescription) -> str:
    """Le verdict de la dernière évaluation, en français (jamais un code de règle)."""
    if prescription is None or prescription.eligibilite is None:
        return "éligibilité non évaluée"
    if prescription.eligible:
        return "éligible"
    if prescription.derogation_par_id:
        return "non éligible, dérogation accordée"
    return "non éligible"


def resume(parcours, le) -> list[str]:
    """Les morceaux du résumé d'un dossier à la date de la séance `le` (une date)."""
    participant = parcours.participant
    prescription = getattr(parcours, "prescription", None)  # absente : données reprises
    morceaux = [f"{age(participant.date_naissance, le)} ans"]
    if participant.commune_nom:
        morceaux.append(participant.commune_nom)
    if parcours.structure_prescriptrice_id:
        prescrit = f"prescrit par {parcours.structure_prescriptrice}"
        if parcours.prescripteur_id:
            prescrit += f" ({parcours.prescripteur.get_full_name() or parcours.prescripteur})"
        morceaux.append(prescrit)
    morceaux.append(verdict_eligibilite(prescription))
    if prescription is not None and prescription.motif:
        motif = " ".join(prescription.motif.split())
        morceaux.append("motif : " + Truncator(motif).chars(MOTIF_RESUME))
    return morceaux


def preparer(lignes, suggestions, le, saisie=None) -> None:
    """Complète chaque ligne pour le gabarit. `saisie` : ce qu'on a posté sur une ligne refusée
    (`parcours`, `decision`, `motif`, `referent`, `autre_referent`, `erreur`), réaffiché."""
    saisie = saisie or {}
    for ligne in lignes:
        ligne.sortie = ligne.objet == ObjetDossier.SORTIE
        ligne.decisions = [
            (d.value, d.label) for d in (DECISIONS_SORTIE if ligne.sortie else DECISIONS_ENTREE)
        ]
        toutes = suggestions.get(ligne.parcours.pk, [])
        ligne.suggestions = toutes[:CANDIDATS_PAR_LIGNE]
        ligne.autres_candidats = len(toutes) - len(ligne.suggestions)
        ligne.resume = resume(ligne.parcours, le)
        if saisie.get("parcours") == ligne.parcours.pk:
            ligne.saisie = {"erreur": "", **saisie}
        else:
            # Le référent suggéré (même territoire, file la plus légère) est présélectionné.
            premier = ligne.suggestions[0].referent.pk if ligne.suggestions else None
            ligne.saisie = {
                "decision": ligne.decisions[0][0],
                "referent": premier,
                "motif": "",
                "autre_referent": "",
                "erreur": "",
            }
