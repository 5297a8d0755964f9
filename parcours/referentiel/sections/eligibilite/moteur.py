"""Moteur d'éligibilité : l'arbre de critères d'un référentiel appliqué à une personne.

`Eligibilite.evaluer(personne)` est une fonction pure (ni base de données, ni horloge : la date
d'évaluation fait partie de la personne) et déterministe. Elle rend une `Evaluation` : `eligible`
(la valeur de la racine de l'arbre) et une ligne expliquée en français par nœud de l'arbre, dans
l'ordre du fichier (un groupe avant ses enfants). Tous les nœuds sont évalués et rapportés, même
quand le résultat d'un groupe est déjà acquis : la personne qui lit le résultat voit toute
l'explication. Format de l'arbre, de la personne et du résultat : docs/eligibilite.md.

Ce module parcourt l'arbre ; les critères et leurs explications sont dans criteres.py, la
vérification de l'arbre dans arbre.py, celle de la personne dans personne.py.
"""

import datetime
from dataclasses import dataclass

from parcours.referentiel.calendrier import mois_revolus
from parcours.referentiel.noyau import (
    Erreur,
    ReferentielInvalide,
    contenu_en_vigueur,
    erreurs_de,
)
from parcours.referentiel.sections import territoires as section_territoires
from parcours.referentiel.sections.eligibilite import arbre
from parcours.referentiel.sections.eligibilite.criteres import CRITERES, NOMS
from parcours.referentiel.sections.eligibilite.personne import valider_personne
from parcours.referentiel.sections.eligibilite.vocabulaire import LIBELLES_GROUPE
from parcours.referentiel.sections.territoires import Territoire


@dataclass(frozen=True)
class Critere:
    code: str
    satisfait: bool
    explication: str


@dataclass(frozen=True)
class Evaluation:
    eligible: bool
    criteres: list[Critere]

    def as_json(self) -> dict:
        return {
            "eligible": self.eligible,
            "criteres": [
                {"code": c.code, "satisfait": c.satisfait, "explication": c.explication}
                for c in self.criteres
            ],
        }

    def critere(self, code: str) -> Critere:
        for c in self.criteres:
            if c.code == code:
                return c
        raise KeyError(code)


class Contexte:
    """Ce que les critères lisent : la personne (normalisée), le PLIE et ses communes."""

    def __init__(self, nom_plie: str, territoires: tuple[Territoire, ...], personne: dict):
        self.personne = personne
        self.date = personne["date"]
        self.nom_plie = nom_plie
        self.plusieurs_territoires = len(territoires) > 1
        self.communes = {c.insee: (c.nom, t.nom) for t in territoires for c in t.communes}
        self.age = mois_revolus(personne["date_naissance"], self.date) // 12
        self.statuts = {s["code"]: s["depuis"] for s in personne["statuts"]}


@dataclass(frozen=True)
class Eligibilite:
    """Les critères d'entrée d'un PLIE (section `eligibilite` validée), prêts à évaluer."""

    criteres: dict  # la racine de l'arbre, telle que dans le fichier
    nom_plie: str
    territoires: tuple[Territoire, ...]

    def evaluer(self, personne: dict) -> Evaluation:
        """`personne` suit le format de docs/eligibilite.md (dates ISO ou `datetime.date`) ;
        PersonneInvalide si elle est mal formée."""
        contexte = Contexte(self.nom_plie, self.territoires, valider_personne(personne))
        criteres: list[Critere] = []
        eligible = evaluer_noeud(self.criteres, contexte, criteres)
        return Evaluation(eligible=eligible, criteres=criteres)


def du_contenu(contenu: dict | None) -> Eligibilite | None:
    """Les critères d'un contenu déjà validé ; None s'il n'a pas de section `eligibilite`."""
    if not contenu or "eligibilite" not in contenu:
        return None
    return Eligibilite(
        criteres=contenu["eligibilite"]["criteres"],
        nom_plie=contenu["plie"]["nom"],
        territoires=section_territoires.du_contenu(contenu),
    )


def de(plie, date: datetime.date | None = None) -> Eligibilite | None:
    """Les critères du référentiel en vigueur ; None sans référentiel ou sans critères."""
    return du_contenu(contenu_en_vigueur(plie, date))


def evaluer(contenu_referentiel: dict, personne: dict) -> Evaluation:
    """Applique la section `eligibilite` d'un référentiel (son contenu) à une personne.

    Un référentiel sans section `eligibilite`, ou dont l'arbre est mal formé, lève
    ReferentielInvalide ; une personne mal formée, PersonneInvalide.
    """
    if "eligibilite" not in contenu_referentiel:
        raise ReferentielInvalide(
            "référentiel", [Erreur("eligibilite", "section absente : aucun critère d'éligibilité")]
        )
    erreurs = erreurs_de(arbre.valider, contenu_referentiel["eligibilite"])
    if erreurs:
        raise ReferentielInvalide("référentiel", erreurs)
    return du_contenu(contenu_referentiel).evaluer(personne)


def nom_du_noeud(noeud, noms=None) -> str:
    """Le nom d'un nœud dans la ligne de son groupe : son libellé, sinon un nom tiré de son
    type et de ses paramètres (`criteres.NOMS`), jamais son code."""
    if noeud.get("libelle"):
        return noeud["libelle"]
    if "type" not in noeud:
        return LIBELLES_GROUPE[next(g for g in LIBELLES_GROUPE if g in noeud)]
    return (NOMS if noms is None else noms)[noeud["type"]](noeud)


def _noms(noeuds, noms) -> str:
    return ", ".join(f"« {nom_du_noeud(n, noms)} »" for n in noeuds)


def evaluer_noeud(noeud, ctx, criteres: list[Critere], evaluateurs=None, noms=None) -> bool:
    """Évalue le nœud et tous ses descendants ; ajoute les lignes dans l'ordre du fichier.
    `evaluateurs` : type de critère -> fonction (CRITERES par défaut ; la section `clauses` en
    ajoute) ; `noms` : type de critère -> nom en français (criteres.NOMS par défaut).
    Les lignes des groupes nomment leurs conditions par `nom_du_noeud` (libellé ou nom en
    français) ; les codes restent dans `Critere.code`."""
    evaluateurs = CRITERES if evaluateurs is None else evaluateurs
    code = noeud["code"]
    libelle = noeud.get("libelle")
    if "type" in noeud:
        satisfait, fait = evaluateurs[noeud["type"]](noeud, ctx)
        explication = f"{libelle} — {fait}" if libelle else fait
        criteres.append(Critere(code, satisfait, explication))
        return satisfait

    genre = next(g for g in LIBELLES_GROUPE if g in noeud)
    position = len(criteres)
    criteres.append(None)  # la ligne du groupe, complétée une fois les enfants évalués
    if genre == "non":
        enfant = noeud["non"]
        valeur_enfant = evaluer_noeud(enfant, ctx, criteres, evaluateurs, noms)
        satisfait = not valeur_enfant
        detail = (
            f"satisfait : {_noms([enfant], noms)} n'est pas satisfait"
            if satisfait
            else f"non satisfait : {_noms([enfant], noms)} est satisfait"
        )
    else:
        valeurs = [(e, evaluer_noeud(e, ctx, criteres, evaluateurs, noms)) for e in noeud[genre]]
        oui = [e for e, v in valeurs if v]
        non = [e for e, v in valeurs if not v]
        if genre == "tous":
            satisfait = not non
            detail = (
                f"satisfait : toutes les conditions sont remplies ({_noms(oui, noms)})"
                if satisfait
                else f"non satisfait : condition(s) non remplie(s) : {_noms(non, noms)}"
            )
        else:
            satisfait = bool(oui)
            detail = (
                f"satisfait par {_noms(oui, noms)}"
                if satisfait
                else f"non satisfait : aucune des conditions ({_noms(non, noms)}) n'est remplie"
            )
    criteres[position] = Critere(code, satisfait, f"{libelle or LIBELLES_GROUPE[genre]} — {detail}")
    return satisfait
