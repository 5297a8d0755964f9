"""Validation de l'arbre de critères (section `eligibilite`, et `clauses` qui en reprend le
format) : groupes `tous` / `un_parmi` / `non`, critères typés, codes uniques."""

from parcours.referentiel.noyau import ABSENT, CODE, Verificateur, est_entier
from parcours.referentiel.sections.eligibilite.vocabulaire import (
    FREINS,
    GROUPES,
    NIVEAU_MAX,
    NIVEAU_MIN,
    PROFONDEUR_MAX,
    STATUTS,
    SUIVIS,
    TYPES_CRITERE,
)


def valider(v: Verificateur, section) -> None:
    """Section `eligibilite` : un arbre sous la clé `criteres`."""
    if v.objet(section, "eligibilite", ("criteres",)) and "criteres" in section:
        noeud(v, section["criteres"], "eligibilite.criteres", {}, 1)


def noeud(v: Verificateur, valeur, chemin, codes, profondeur, types=None):
    """Un nœud de l'arbre et ses descendants ; `codes` : code -> chemin des nœuds déjà vus ;
    `types` : les types de critère admis (ceux du moteur par défaut ; `clauses` en ajoute)."""
    types = TYPES_CRITERE if types is None else types
    if profondeur > PROFONDEUR_MAX:
        v.erreur(chemin, f"arbre trop profond (plus de {PROFONDEUR_MAX} niveaux)")
        return
    if not isinstance(valeur, dict):
        v.erreur(chemin, "une table (clé: valeur) est attendue : un critère ou un groupe")
        return
    genres = [cle for cle in ("type", *GROUPES) if cle in valeur]
    if not genres:
        v.erreur(
            chemin,
            "ni critère (clé « type ») ni groupe (clé « tous », « un_parmi » ou « non »)",
        )
        return
    if len(genres) > 1:
        v.erreur(
            chemin,
            "un nœud est soit un critère (type), soit un seul groupe (tous, un_parmi, non) : "
            + ", ".join(genres)
            + " ensemble",
        )
        return
    genre = genres[0]
    type_connu = genre == "type" and _type_connu(valeur["type"], types)
    if genre == "type" and not type_connu:
        # Type inconnu : ses paramètres ne peuvent pas être jugés, seul le code l'est encore.
        v.erreur(
            f"{chemin}.type",
            f"type de critère inconnu « {valeur['type']} » (types connus : {', '.join(types)})",
        )
        if "code" not in valeur:
            v.erreur(f"{chemin}.code", "clé obligatoire absente")
    elif genre == "type":
        params_obligatoires, params_facultatifs = types[valeur["type"]]
        v.objet(
            valeur,
            chemin,
            ("code", "type", *params_obligatoires),
            ("libelle", *params_facultatifs),
        )
    else:
        v.objet(valeur, chemin, ("code", genre), ("libelle",))
    _code(v, valeur.get("code", ABSENT), f"{chemin}.code", codes)
    v.texte(valeur.get("libelle", ABSENT), f"{chemin}.libelle")

    if genre == "non":
        noeud(v, valeur["non"], f"{chemin}.non", codes, profondeur + 1, types)
    elif genre in GROUPES:
        enfants = valeur[genre]
        if not isinstance(enfants, list) or not enfants:
            v.erreur(
                f"{chemin}.{genre}", "une liste non vide de critères ou de groupes est attendue"
            )
            return
        for i, enfant in enumerate(enfants):
            noeud(v, enfant, f"{chemin}.{genre}[{i}]", codes, profondeur + 1, types)
    elif type_connu and valeur["type"] in TYPES_CRITERE:
        _parametres(v, valeur, chemin)


def _type_connu(type_critere, types) -> bool:
    return isinstance(type_critere, str) and type_critere in types


def _code(v: Verificateur, code, chemin, codes):
    if code is ABSENT:
        return
    if not isinstance(code, str) or not CODE.match(code):
        v.erreur(
            chemin, "code en minuscules, chiffres, tirets ou soulignés (ex. deld, age-26-plus)"
        )
    elif code in codes:
        v.erreur(chemin, f"code « {code} » déjà utilisé par {codes[code]}")
    else:
        codes[code] = chemin.removesuffix(".code")


def _parametres(v: Verificateur, critere, chemin):
    type_critere = critere["type"]
    if type_critere == "age":
        _age(v, critere, chemin)
    elif type_critere == "statut":
        v.liste_de_codes(critere.get("statuts", ABSENT), f"{chemin}.statuts", STATUTS, "statut")
        v.entier(critere.get("depuis_mois_min", ABSENT), f"{chemin}.depuis_mois_min", minimum=1)
    elif type_critere == "chomage_longue_duree":
        v.entier(critere.get("mois_min", ABSENT), f"{chemin}.mois_min", minimum=1)
    elif type_critere == "niveau_qualification_max":
        v.entier(
            critere.get("max", ABSENT), f"{chemin}.max", minimum=NIVEAU_MIN, maximum=NIVEAU_MAX
        )
    elif type_critere == "bac":
        v.booleen(critere.get("attendu", ABSENT), f"{chemin}.attendu")
    elif type_critere == "non_suivi":
        par = critere.get("par", ABSENT)
        if par is not ABSENT and (not isinstance(par, str) or par not in SUIVIS):
            v.erreur(
                f"{chemin}.par",
                f"« {par} » inconnu (attendu : {' ou '.join(SUIVIS)})",
            )
    elif type_critere == "freins":
        _freins(v, critere, chemin)


def _age(v: Verificateur, critere, chemin):
    minimum, maximum = critere.get("min", ABSENT), critere.get("max", ABSENT)
    if minimum is ABSENT and maximum is ABSENT:
        v.erreur(chemin, "au moins une borne « min » ou « max » (en années) est attendue")
    v.entier(minimum, f"{chemin}.min", minimum=0)
    v.entier(maximum, f"{chemin}.max", minimum=0)
    if (
        est_entier(minimum)
        and est_entier(maximum)
        and minimum >= 0
        and maximum >= 0
        and minimum > maximum
    ):
        v.erreur(
            f"{chemin}.max",
            f"bornes incohérentes : max ({maximum}) est inférieur à min ({minimum})",
        )


def _freins(v: Verificateur, critere, chemin):
    parmi = critere.get("parmi", ABSENT)
    v.liste_de_codes(parmi, f"{chemin}.parmi", FREINS, "frein")
    au_moins = critere.get("au_moins", ABSENT)
    v.entier(au_moins, f"{chemin}.au_moins", minimum=1)
    nombre = len(parmi) if isinstance(parmi, list) and parmi else len(FREINS)
    if est_entier(au_moins) and au_moins > nombre:
        v.erreur(
            f"{chemin}.au_moins",
            f"bornes incohérentes : au moins {au_moins} freins exigés parmi {nombre}",
        )
