"""Les lignes de l'écran de séance : le résumé d'une ligne par dossier (âge, commune,
prescripteur, verdict d'éligibilité, motif) et ce que la ligne de décision propose (les
décisions possibles, les meilleurs référents, le référent présélectionné, ce qui a été saisi)."""

from django.utils.text import Truncator

from parcours.commissions.enums import DECISIONS_ENTREE, DECISIONS_SORTIE, ObjetDossier
from parcours.core.nombres import nombre

CANDIDATS_PAR_LIGNE = 5  # les meilleurs référents proposés par ligne ; les autres se cherchent
MOTIF_RESUME = 140  # caractères du motif de prescription dans le résumé
# Lignes de l'ordre du jour par page : au-delà, une séance de 200 dossiers rendait 750 Ko de HTML
# et chaque ligne (résumé, formulaire, candidats) coûte du temps serveur (docs/PERFORMANCE.md).
LIGNES_PAR_PAGE = 50


def nombre_de_pages(total: int) -> int:
    return max(-(-total // LIGNES_PAR_PAGE), 1)


def pages_affichees(numero: int, pages: int) -> list[int | None]:
    """Les numéros de page à proposer : toutes jusqu'à 9, sinon la première, la dernière et
    deux de chaque côté de la page courante ; None marque un saut (« … »)."""
    if pages <= 9:
        return list(range(1, pages + 1))
    gardees = sorted({1, pages, *range(max(numero - 2, 1), min(numero + 2, pages) + 1)})
    affichees: list[int | None] = []
    for n in gardees:
        if affichees and n - affichees[-1] > 1:
            affichees.append(None)
        affichees.append(n)
    return affichees


def bornes_de_page(numero: int) -> tuple[int, int]:
    """Les lignes (comptées depuis 0, la fin exclue) de la page `numero`."""
    debut = (numero - 1) * LIGNES_PAR_PAGE
    return debut, debut + LIGNES_PAR_PAGE


def page_du_dossier(sommaire, parcours_id) -> int | None:
    """La page où se trouve la ligne de ce dossier (`sommaire` : `services.sommaire_de_session`)."""
    for rang, (pk, _decide) in enumerate(sommaire):
        if pk == parcours_id:
            return rang // LIGNES_PAR_PAGE + 1
    return None


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


def libelle_suggestion(s) -> str:
    """Le texte de l'option d'un référent suggéré : nom, structure, file active / plafond."""
    plafond = "?" if s.plafond is None else nombre(s.plafond)
    texte = f"{s.referent.get_full_name()} — {s.structure} — {nombre(s.file_active)}/{plafond}"
    if s.meme_territoire:
        texte += " — même territoire"
    if s.au_dessus_du_plafond:
        texte += " ⚠ au-dessus du plafond"
    return texte


def preparer(lignes, suggestions, le, saisie=None) -> None:
    """Complète chaque ligne pour le gabarit. `saisie` : ce qu'on a posté sur une ligne refusée
    (`parcours`, `decision`, `motif`, `referent`, `autre_referent`, `erreur`), réaffiché.

    Les textes des options sont écrits ici, une fois par suggestion (les dossiers d'un même
    territoire partagent les leurs) : le moteur de gabarits coûtait ~2 ms par ligne."""
    saisie = saisie or {}
    libelles: dict[int, str] = {}
    for ligne in lignes:
        ligne.sortie = ligne.objet == ObjetDossier.SORTIE
        ligne.decisions = [
            (d.value, d.label) for d in (DECISIONS_SORTIE if ligne.sortie else DECISIONS_ENTREE)
        ]
        toutes = suggestions.get(ligne.parcours.pk, [])
        ligne.suggestions = toutes[:CANDIDATS_PAR_LIGNE]
        ligne.autres_candidats = len(toutes) - len(ligne.suggestions)
        for s in ligne.suggestions:
            if id(s) not in libelles:
                libelles[id(s)] = libelle_suggestion(s)
        ligne.options = [(s.referent.pk, libelles[id(s)]) for s in ligne.suggestions]
        ligne.avertissements = [
            s.avertissement for s in ligne.suggestions if s.au_dessus_du_plafond
        ]
        ligne.resume = resume(ligne.parcours, le)
        ligne.texte_resume = " · ".join(ligne.resume)
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
