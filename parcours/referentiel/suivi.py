"""Sections `etapes` (catalogue des étapes de parcours et de leurs preuves) et `suivi` (délais du
suivi des parcours) du référentiel : vocabulaire, valeurs par défaut, validation.

Format décrit dans docs/accompagnement.md. Les erreurs suivent la convention de validation.py :
chemin dans le fichier (`etapes[3].preuves[0].code`) et problème, en français.
"""

import re

CODE = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
CODE_MAX = 50
LIBELLE_MAX = 200
CATEGORIE_MAX = 100

# Une étape est justifiée par une seule des preuves listées (« attestation ou compte rendu ou
# mail » : seed 001:L3935) ou, si le type le demande, par toutes.
PREUVES_EXIGEES = {"une": "une des preuves listées", "toutes": "toutes les preuves listées"}

# Valeurs par défaut de la section `suivi` (seeds 001:L3798, 002:L351, 002:L466, 001:L500,
# 001:L5832, 002:L391, 001:L7938).
SUIVI_DEFAUTS = {
    "entretien_physique_mois": 1,
    "sans_contact_mois": 2,
    "sans_etape_mois": 6,
    "alertes_duree_parcours_mois": [12, 24],
    "suspension_mois": 3,
    "rqth_echeance_jours": 90,
    # Absence injustifiée : un courrier la semaine de l'absence, un appel la semaine suivante.
    "absence_injustifiee": [
        {"action": "courrier", "libelle": "Envoyer un courrier", "delai_jours": 5},
        {"action": "appel", "libelle": "Appeler la personne", "delai_jours": 12},
    ],
    "fse_sortie_semaines": 4,
}
DUREES_SUIVI = (
    "entretien_physique_mois",
    "sans_contact_mois",
    "sans_etape_mois",
    "suspension_mois",
    "rqth_echeance_jours",
    "fse_sortie_semaines",
)


def _absent():
    from parcours.referentiel.validation import ABSENT

    return ABSENT


def _code(v, valeur, chemin, codes, exemple):
    if valeur is _absent():
        return
    if not isinstance(valeur, str) or not CODE.match(valeur) or len(valeur) > CODE_MAX:
        v.erreur(
            chemin,
            f"code en minuscules, chiffres, tirets ou soulignés, {CODE_MAX} caractères au plus "
            f"(ex. {exemple})",
        )
    elif valeur in codes:
        v.erreur(chemin, f"code « {valeur} » déjà utilisé par {codes[valeur]}")
    else:
        codes[valeur] = chemin.removesuffix(".code").removesuffix(".action")


def _texte(v, valeur, chemin, maximum):
    v.texte(valeur, chemin)
    if isinstance(valeur, str) and len(valeur) > maximum:
        v.erreur(chemin, f"{maximum} caractères au plus")


def valider_etapes(v, section) -> None:
    """Section `etapes` : une liste non vide de types d'étape."""
    if not isinstance(section, list) or not section:
        v.erreur("etapes", "une liste non vide de types d'étape est attendue")
        return
    codes = {}
    for i, type_etape in enumerate(section):
        chemin = f"etapes[{i}]"
        if not v.objet(
            type_etape,
            chemin,
            ("code", "libelle", "categorie", "preuves"),
            ("compte", "emploi_ou_formation", "preuves_exigees"),
        ):
            continue
        _code(v, type_etape.get("code", _absent()), f"{chemin}.code", codes, "bilan-competences")
        _texte(v, type_etape.get("libelle", _absent()), f"{chemin}.libelle", LIBELLE_MAX)
        _texte(v, type_etape.get("categorie", _absent()), f"{chemin}.categorie", CATEGORIE_MAX)
        v.booleen(type_etape.get("compte", _absent()), f"{chemin}.compte")
        v.booleen(type_etape.get("emploi_ou_formation", _absent()), f"{chemin}.emploi_ou_formation")
        exigees = type_etape.get("preuves_exigees", _absent())
        if exigees is not _absent() and exigees not in PREUVES_EXIGEES:
            v.erreur(
                f"{chemin}.preuves_exigees",
                f"« {exigees} » inconnu (attendu : {' ou '.join(PREUVES_EXIGEES)})",
            )
        preuves = type_etape.get("preuves", _absent())
        if preuves is _absent():
            continue
        if not isinstance(preuves, list) or not preuves:
            v.erreur(f"{chemin}.preuves", "une liste non vide de preuves est attendue")
            continue
        codes_preuves = {}
        for j, preuve in enumerate(preuves):
            pchemin = f"{chemin}.preuves[{j}]"
            if not v.objet(preuve, pchemin, ("code", "libelle")):
                continue
            _code(v, preuve.get("code", _absent()), f"{pchemin}.code", codes_preuves, "attestation")
            _texte(v, preuve.get("libelle", _absent()), f"{pchemin}.libelle", LIBELLE_MAX)


def valider_suivi(v, section) -> None:
    """Section `suivi` : délais du suivi, tous facultatifs (valeurs par défaut : SUIVI_DEFAUTS)."""
    if not v.objet(section, "suivi", (), tuple(SUIVI_DEFAUTS)):
        return
    for cle in DUREES_SUIVI:
        if cle in section:
            v.entier(section[cle], f"suivi.{cle}", minimum=1)
    alertes = section.get("alertes_duree_parcours_mois", _absent())
    if alertes is not _absent():
        if not isinstance(alertes, list):
            v.erreur(
                "suivi.alertes_duree_parcours_mois", "une liste de durées en mois est attendue"
            )
        else:
            for i, mois in enumerate(alertes):
                v.entier(mois, f"suivi.alertes_duree_parcours_mois[{i}]", minimum=1)
            entiers = [m for m in alertes if isinstance(m, int) and not isinstance(m, bool)]
            if entiers == alertes and entiers != sorted(set(entiers)):
                v.erreur(
                    "suivi.alertes_duree_parcours_mois",
                    "durées attendues dans l'ordre croissant, sans doublon (ex. [12, 24])",
                )
    relances = section.get("absence_injustifiee", _absent())
    if relances is _absent():
        return
    if not isinstance(relances, list):
        v.erreur("suivi.absence_injustifiee", "une liste de relances est attendue (ou [])")
        return
    actions = {}
    for i, relance in enumerate(relances):
        chemin = f"suivi.absence_injustifiee[{i}]"
        if not v.objet(relance, chemin, ("action", "libelle", "delai_jours")):
            continue
        _code(v, relance.get("action", _absent()), f"{chemin}.action", actions, "courrier")
        _texte(v, relance.get("libelle", _absent()), f"{chemin}.libelle", LIBELLE_MAX)
        v.entier(relance.get("delai_jours", _absent()), f"{chemin}.delai_jours", minimum=0)
