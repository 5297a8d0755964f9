"""Validation de la section `sortie` : paramètres, incarcération, et chaque règle (code,
catégorie, contrats comptés, décision) ; les mesures et leurs modalités sont vérifiées par
mesures.py. Chaque erreur nomme son chemin (`sortie.regles[2].fenetre_mois: …`)."""

from parcours.referentiel.noyau import CODE, Verificateur
from parcours.referentiel.sections.sortie import mesures
from parcours.referentiel.sections.sortie.vocabulaire import CategorieQualification, TypeContrat

CLES_SECTION_FACULTATIVES = (
    "heures_temps_plein",
    "jours_par_mois",
    "tolerance_interruption_jours",
    "incarceration",
)
ISSUES_INCARCERATION = ("sortie", "suspension")
# Quels contrats comptent et pour qui.
FILTRES = (
    "types",
    "types_exclus",
    "meme_employeur",
    "meme_client",
    "temps_plein_ou_accord",
    "heures_hebdo_min",
    "sauf_accord",
    "duree_contrat_min_mois",
    "sans_terme",
    "age_min",
)
DECISION = ("validation_commission", "manuel", "note")
BOOLEENS = (
    "meme_employeur",
    "meme_client",
    "temps_plein_ou_accord",
    "sauf_accord",
    "sans_terme",
    "validation_commission",
    "manuel",
)


def valider(v: Verificateur, section) -> None:
    """Ajoute à `v` les erreurs de la section `sortie`."""
    if not v.objet(section, "sortie", ("regles",), CLES_SECTION_FACULTATIVES):
        return
    if "heures_temps_plein" in section:
        v.nombre(section["heures_temps_plein"], "sortie.heures_temps_plein", maximum=48)
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


def _incarceration(v: Verificateur, conf):
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


def _types(v: Verificateur, valeur, chemin):
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


def _regle(v: Verificateur, regle, chemin, codes):
    cles = (*FILTRES, *mesures.cles(), *mesures.MODALITES, *DECISION)
    if not v.objet(regle, chemin, ("code", "libelle", "categorie"), cles):
        return
    code = regle.get("code")
    if "code" in regle:
        if not isinstance(code, str) or not CODE.match(code) or len(code) > 50:
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
    if "duree_contrat_min_mois" in regle:
        v.entier(regle["duree_contrat_min_mois"], f"{chemin}.duree_contrat_min_mois", 1)
    if "age_min" in regle:
        v.entier(regle["age_min"], f"{chemin}.age_min", 0, 120)
    if "heures_hebdo_min" in regle:
        v.nombre(regle["heures_hebdo_min"], f"{chemin}.heures_hebdo_min", maximum=48)
    mesures.verifier(v, regle, chemin)
    _coherence(v, regle, chemin)


def _coherence(v: Verificateur, regle, chemin):
    """Combinaisons de paramètres qui n'ont pas de sens : refusées plutôt qu'ignorées."""
    donnees = mesures.donnees(regle)
    if regle.get("manuel") is True:
        if donnees:
            v.erreur(
                chemin,
                "une règle manuelle (décidée par la commission) n'a pas de mesure : "
                + ", ".join(donnees),
            )
        if regle.get("validation_commission") is not True:
            v.erreur(
                f"{chemin}.validation_commission",
                "une règle manuelle est décidée par la commission : true est attendu",
            )
        return
    if not donnees:
        v.erreur(
            chemin,
            "au moins une mesure est attendue ("
            + ", ".join(mesures.cles())
            + ") ou « manuel: true »",
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
    mesures.coherence(v, regle, chemin)
