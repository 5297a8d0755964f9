"""Section `clauses` du référentiel : le public éligible aux heures d'insertion d'une clause.

L'arbre a le format de la section `eligibilite` (docs/eligibilite.md : nœuds `tous`, `un_parmi`,
`non`, critères `type:`), avec un critère de plus, propre aux clauses : `salarie_iae` (personne
embauchée par une SIAE, parcours IAE en cours). Il s'applique aux participants du PLIE comme aux
candidats externes (001:L4348), et rend le même résultat expliqué en français que le moteur
d'éligibilité (`Evaluation`), dont il réutilise les critères. Documentation : docs/clauses.md.

La personne évaluée suit le format d'entrée du moteur, plus le champ `salarie_iae` (booléen).
"""

from parcours.referentiel import eligibilite as moteur
from parcours.referentiel.validation import (
    ABSENT,
    GROUPES,
    PROFONDEUR_MAX,
    TYPES_CRITERE,
    Erreur,
    ReferentielInvalide,
    _code,
    _parametres,
    _Verificateur,
)

# Critères propres à la clause : type -> (paramètres obligatoires, paramètres facultatifs).
TYPES_CLAUSE = {"salarie_iae": ((), ())}
TYPES = {**TYPES_CRITERE, **TYPES_CLAUSE}


# --- Validation -------------------------------------------------------------------------------


def valider_clauses(v: _Verificateur, section) -> None:
    """Ajoute à `v` les erreurs de la section `clauses` (chemins préfixés par `clauses`)."""
    if v.objet(section, "clauses", ("criteres",), ("libelle",)):
        v.texte(section.get("libelle", ABSENT), "clauses.libelle")
        if "criteres" in section:
            _noeud(v, section["criteres"], "clauses.criteres", {}, 1)


def erreurs_clauses(section) -> list[Erreur]:
    v = _Verificateur()
    valider_clauses(v, section)
    return v.erreurs


def _noeud(v: _Verificateur, noeud, chemin, codes, profondeur):
    """Comme `validation._noeud`, avec les types de `TYPES` (critères du moteur et de la clause)."""
    if profondeur > PROFONDEUR_MAX:
        v.erreur(chemin, f"arbre trop profond (plus de {PROFONDEUR_MAX} niveaux)")
        return
    if not isinstance(noeud, dict):
        v.erreur(chemin, "une table (clé: valeur) est attendue : un critère ou un groupe")
        return
    genres = [cle for cle in ("type", *GROUPES) if cle in noeud]
    if len(genres) != 1:
        v.erreur(
            chemin,
            "ni critère (clé « type ») ni groupe (clé « tous », « un_parmi » ou « non »)"
            if not genres
            else "un nœud est soit un critère (type), soit un seul groupe (tous, un_parmi, non) : "
            + ", ".join(genres)
            + " ensemble",
        )
        return
    genre = genres[0]
    if genre == "type":
        type_critere = noeud["type"]
        if not isinstance(type_critere, str) or type_critere not in TYPES:
            v.erreur(
                f"{chemin}.type",
                f"type de critère inconnu « {type_critere} » (types connus : {', '.join(TYPES)})",
            )
            if "code" not in noeud:
                v.erreur(f"{chemin}.code", "clé obligatoire absente")
        else:
            obligatoires, facultatifs = TYPES[type_critere]
            v.objet(noeud, chemin, ("code", "type", *obligatoires), ("libelle", *facultatifs))
            if type_critere in TYPES_CRITERE:
                _parametres(v, noeud, chemin)
    else:
        v.objet(noeud, chemin, ("code", genre), ("libelle",))
    _code(v, noeud.get("code", ABSENT), f"{chemin}.code", codes)
    v.texte(noeud.get("libelle", ABSENT), f"{chemin}.libelle")
    if genre == "non":
        _noeud(v, noeud["non"], f"{chemin}.non", codes, profondeur + 1)
    elif genre in GROUPES:
        enfants = noeud[genre]
        if not isinstance(enfants, list) or not enfants:
            v.erreur(
                f"{chemin}.{genre}", "une liste non vide de critères ou de groupes est attendue"
            )
            return
        for i, enfant in enumerate(enfants):
            _noeud(v, enfant, f"{chemin}.{genre}[{i}]", codes, profondeur + 1)


# --- Évaluation -------------------------------------------------------------------------------


def evaluer_clause(contenu_referentiel: dict, personne: dict) -> moteur.Evaluation:
    """Applique la section `clauses` d'un référentiel (déjà validé) à une personne.

    `personne` : le format du moteur d'éligibilité plus `salarie_iae` (booléen, faux si absent).
    Lève ReferentielInvalide si la section manque ou est mal formée, PersonneInvalide si la
    personne l'est.
    """
    section = contenu_referentiel.get("clauses")
    if section is None:
        raise ReferentielInvalide(
            "référentiel",
            [Erreur("clauses", "section absente : aucun critère d'éligibilité aux clauses")],
        )
    erreurs = erreurs_clauses(section)
    if erreurs:
        raise ReferentielInvalide("référentiel", erreurs)
    donnees = dict(personne)
    salarie_iae = donnees.pop("salarie_iae", False)
    if not isinstance(salarie_iae, bool):
        raise moteur.PersonneInvalide("salarie_iae", "true ou false est attendu")
    ctx = moteur._Contexte(contenu_referentiel, moteur.valider_personne(donnees))
    ctx.salarie_iae = salarie_iae
    criteres: list[moteur.Critere] = []
    eligible = _evaluer_noeud(section["criteres"], ctx, criteres)
    return moteur.Evaluation(eligible=eligible, criteres=criteres)


def _salarie_iae(noeud, ctx):
    if ctx.salarie_iae:
        return True, "Salarié en insertion (parcours IAE en cours dans une SIAE)"
    return False, "Pas de parcours IAE en cours"


_CRITERES_CLAUSE = {"salarie_iae": _salarie_iae}


def _evaluer_noeud(noeud, ctx, criteres: list) -> bool:
    """Le même parcours de l'arbre et les mêmes phrases que `eligibilite._evaluer_noeud`."""
    code = noeud["code"]
    libelle = noeud.get("libelle")
    if "type" in noeud:
        evaluateur = _CRITERES_CLAUSE.get(noeud["type"]) or moteur._CRITERES[noeud["type"]]
        satisfait, fait = evaluateur(noeud, ctx)
        explication = f"{libelle} — {fait}" if libelle else fait
        criteres.append(moteur.Critere(code, satisfait, explication))
        return satisfait

    genre = next(g for g in moteur.LIBELLES_GROUPE if g in noeud)
    position = len(criteres)
    criteres.append(None)  # la ligne du groupe, complétée une fois les enfants évalués
    if genre == "non":
        enfant = noeud["non"]
        satisfait = not _evaluer_noeud(enfant, ctx, criteres)
        detail = (
            f"satisfait : « {enfant['code']} » n'est pas satisfait"
            if satisfait
            else f"non satisfait : « {enfant['code']} » est satisfait"
        )
    else:
        valeurs = [(e["code"], _evaluer_noeud(e, ctx, criteres)) for e in noeud[genre]]
        oui = [c for c, val in valeurs if val]
        non = [c for c, val in valeurs if not val]
        if genre == "tous":
            satisfait = not non
            detail = (
                f"satisfait : toutes les conditions sont remplies ({', '.join(oui)})"
                if satisfait
                else f"non satisfait : condition(s) non remplie(s) : {', '.join(non)}"
            )
        else:
            satisfait = bool(oui)
            detail = (
                f"satisfait par {', '.join(oui)}"
                if satisfait
                else f"non satisfait : aucune des conditions ({', '.join(non)}) n'est remplie"
            )
    titre = libelle or moteur.LIBELLES_GROUPE[genre]
    criteres[position] = moteur.Critere(code, satisfait, f"{titre} — {detail}")
    return satisfait
