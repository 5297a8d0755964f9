"""Validation de la section `sortie` d'un référentiel : règles de sortie positive (docs/sortie.md).

Appelée par parcours/referentiel/validation.py (`verifier_sortie(v, section)`, où `v` est le
vérificateur commun qui accumule les erreurs `chemin: problème`). Le moteur qui applique ces
règles est parcours/emploi/qualification.py ; ce module n'en dépend pas.
"""

import re

from parcours.emploi.enums import CategorieQualification, TypeContrat

CODE_REGLE = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
# Paramètres de la section (valeurs par défaut : parcours/emploi/qualification.py).
CLES_SECTION_FACULTATIVES = (
    "heures_temps_plein",
    "jours_par_mois",
    "tolerance_interruption_jours",
    "incarceration",
)
ISSUES_INCARCERATION = ("sortie", "suspension")
# Mesures : au moins une par règle évaluée ; l'une suffit.
MESURES = ("des_le_debut", "a_la_fin", "duree_min_mois", "heures_min", "semaines_min")
CLES_REGLE = (
    "types",
    "types_exclus",
    # filtres sur les contrats comptés et sur la personne
    "meme_employeur",
    "meme_client",
    "temps_plein_ou_accord",
    "heures_hebdo_min",
    "sauf_accord",
    "duree_contrat_min_mois",
    "sans_terme",
    "age_min",
    # mesures et leurs modalités
    *MESURES,
    "sans_interruption",
    "tolerance_interruption_jours",
    "fenetre_mois",
    # décision
    "validation_commission",
    "manuel",
    "note",
)
BOOLEENS = (
    "meme_employeur",
    "meme_client",
    "temps_plein_ou_accord",
    "sauf_accord",
    "sans_terme",
    "des_le_debut",
    "a_la_fin",
    "sans_interruption",
    "validation_commission",
    "manuel",
)
FENETRE_MAX_MOIS = 120


def _nombre(v, valeur, chemin, *, strictement_positif=True, maximum=None):
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        v.erreur(chemin, "un nombre est attendu")
    elif strictement_positif and valeur <= 0:
        v.erreur(chemin, "doit être strictement positif")
    elif maximum is not None and valeur > maximum:
        v.erreur(chemin, f"doit être inférieur ou égal à {maximum}")


def _types(v, valeur, chemin):
    if not isinstance(valeur, list) or not valeur:
        v.erreur(chemin, "une liste non vide de types de contrat est attendue")
        return
    vus = {}
    for i, code in enumerate(valeur):
        if not isinstance(code, str) or code not in TypeContrat.values:
            v.erreur(
                f"{chemin}[{i}]",
                f"type de contrat inconnu « {code} » "
                f"(types connus : {', '.join(TypeContrat.values)})",
            )
        elif code in vus:
            v.erreur(f"{chemin}[{i}]", f"« {code} » déjà listé en {chemin}[{vus[code]}]")
        else:
            vus[code] = i


def verifier_sortie(v, section) -> None:
    """Ajoute à `v` les erreurs de la section `sortie`."""
    if not v.objet(section, "sortie", ("regles",), CLES_SECTION_FACULTATIVES):
        return
    if "heures_temps_plein" in section:
        _nombre(v, section["heures_temps_plein"], "sortie.heures_temps_plein", maximum=48)
    if "jours_par_mois" in section:
        v.entier(section["jours_par_mois"], "sortie.jours_par_mois", minimum=28, maximum=31)
    if "tolerance_interruption_jours" in section:
        v.entier(
            section["tolerance_interruption_jours"],
            "sortie.tolerance_interruption_jours",
            minimum=0,
            maximum=31,
        )
    if "incarceration" in section:
        _incarceration(v, section["incarceration"])
    regles = section.get("regles")
    if "regles" not in section:
        return
    if not isinstance(regles, list) or not regles:
        v.erreur("sortie.regles", "une liste non vide de règles est attendue")
        return
    codes = {}
    for i, regle in enumerate(regles):
        _regle(v, regle, f"sortie.regles[{i}]", codes)


def _incarceration(v, conf):
    chemin = "sortie.incarceration"
    if not v.objet(conf, chemin, (), ("seuil_mois", "au_seuil")):
        return
    if "seuil_mois" in conf:
        v.entier(conf["seuil_mois"], f"{chemin}.seuil_mois", minimum=1)
    if "au_seuil" in conf and conf["au_seuil"] not in ISSUES_INCARCERATION:
        v.erreur(
            f"{chemin}.au_seuil",
            f"« {conf['au_seuil']} » inconnu (attendu : {' ou '.join(ISSUES_INCARCERATION)})",
        )


def _regle(v, regle, chemin, codes):
    if not v.objet(regle, chemin, ("code", "libelle", "categorie"), CLES_REGLE):
        return
    code = regle.get("code")
    if "code" in regle:
        if not isinstance(code, str) or not CODE_REGLE.match(code) or len(code) > 50:
            v.erreur(
                f"{chemin}.code",
                "code en minuscules, chiffres, tirets ou soulignés, 50 caractères au plus",
            )
        elif code in codes:
            v.erreur(f"{chemin}.code", f"code « {code} » déjà utilisé par {codes[code]}")
        else:
            codes[code] = chemin
    if "libelle" in regle:
        v.texte(regle["libelle"], f"{chemin}.libelle")
    if "note" in regle:
        v.texte(regle["note"], f"{chemin}.note")
    categorie = regle.get("categorie")
    if "categorie" in regle and categorie not in CategorieQualification.values:
        v.erreur(
            f"{chemin}.categorie",
            f"catégorie inconnue « {categorie} » "
            f"(catégories connues : {', '.join(CategorieQualification.values)})",
        )
    for cle in BOOLEENS:
        if cle in regle:
            v.booleen(regle[cle], f"{chemin}.{cle}")
    for cle in ("types", "types_exclus"):
        if cle in regle:
            _types(v, regle[cle], f"{chemin}.{cle}")
    for cle, minimum, maximum in (
        ("duree_contrat_min_mois", 1, None),
        ("duree_min_mois", 1, None),
        ("fenetre_mois", 1, FENETRE_MAX_MOIS),
        ("age_min", 0, 120),
        ("tolerance_interruption_jours", 0, 31),
    ):
        if cle in regle:
            v.entier(regle[cle], f"{chemin}.{cle}", minimum=minimum, maximum=maximum)
    for cle, maximum in (("heures_hebdo_min", 48), ("heures_min", None), ("semaines_min", 520)):
        if cle in regle:
            _nombre(v, regle[cle], f"{chemin}.{cle}", maximum=maximum)
    _coherence(v, regle, chemin)


def _coherence(v, regle, chemin):
    """Combinaisons de paramètres qui n'ont pas de sens : refusées plutôt qu'ignorées."""
    mesures = [m for m in MESURES if m in regle and regle[m] is not False]
    if regle.get("manuel") is True:
        if mesures:
            v.erreur(
                chemin,
                "une règle manuelle (décidée par la commission) n'a pas de mesure : "
                + ", ".join(mesures),
            )
        if regle.get("validation_commission") is not True:
            v.erreur(
                f"{chemin}.validation_commission",
                "une règle manuelle est décidée par la commission : true est attendu",
            )
        return
    if not mesures:
        v.erreur(
            chemin,
            "au moins une mesure est attendue (" + ", ".join(MESURES) + ") ou « manuel: true »",
        )
    if "types" in regle and "types_exclus" in regle:
        v.erreur(
            f"{chemin}.types_exclus",
            "donner soit types (les types comptés), soit types_exclus (tous sauf ceux-là)",
        )
    elif "types" not in regle and "types_exclus" not in regle:
        v.erreur(chemin, "types ou types_exclus attendu : quels contrats la règle compte-t-elle ?")
    if regle.get("meme_employeur") is True and regle.get("meme_client") is True:
        v.erreur(
            f"{chemin}.meme_client",
            "meme_employeur et meme_client ensemble : choisir l'un des deux regroupements",
        )
    if "temps_plein_ou_accord" in regle and "heures_hebdo_min" in regle:
        v.erreur(
            f"{chemin}.heures_hebdo_min",
            "temps_plein_ou_accord fixe déjà le minimum hebdomadaire (temps plein)",
        )
    if "sauf_accord" in regle and "heures_hebdo_min" not in regle:
        v.erreur(f"{chemin}.sauf_accord", "n'a de sens qu'avec heures_hebdo_min")
    continu = regle.get("sans_interruption", True) is not False
    if "sans_interruption" in regle and "duree_min_mois" not in regle:
        v.erreur(f"{chemin}.sans_interruption", "n'a de sens qu'avec duree_min_mois")
    if "tolerance_interruption_jours" in regle and not ("duree_min_mois" in regle and continu):
        v.erreur(
            f"{chemin}.tolerance_interruption_jours",
            "n'a de sens qu'avec duree_min_mois sans interruption",
        )
    fenetre_utile = (
        "heures_min" in regle
        or "semaines_min" in regle
        or ("duree_min_mois" in regle and not continu)
    )
    if "fenetre_mois" in regle and not fenetre_utile:
        v.erreur(
            f"{chemin}.fenetre_mois",
            "n'a de sens qu'avec heures_min, semaines_min ou duree_min_mois cumulée "
            "(sans_interruption: false)",
        )
    for cle in ("heures_min", "semaines_min"):
        if cle in regle and "fenetre_mois" not in regle:
            v.erreur(f"{chemin}.fenetre_mois", f"clé obligatoire avec {cle} (en mois glissants)")
