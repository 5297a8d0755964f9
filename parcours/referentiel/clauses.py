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
    TYPES_CRITERE,
    Erreur,
    ReferentielInvalide,
    _noeud,
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
            _noeud(v, section["criteres"], "clauses.criteres", {}, 1, TYPES)


def erreurs_clauses(section) -> list[Erreur]:
    v = _Verificateur()
    valider_clauses(v, section)
    return v.erreurs


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
    evaluateurs = {**moteur._CRITERES, **_CRITERES_CLAUSE}
    eligible = moteur._evaluer_noeud(section["criteres"], ctx, criteres, evaluateurs)
    return moteur.Evaluation(eligible=eligible, criteres=criteres)


def _salarie_iae(noeud, ctx):
    if ctx.salarie_iae:
        return True, "Salarié en insertion (parcours IAE en cours dans une SIAE)"
    return False, "Pas de parcours IAE en cours"


_CRITERES_CLAUSE = {"salarie_iae": _salarie_iae}
