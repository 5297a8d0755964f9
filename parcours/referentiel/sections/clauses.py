"""Section facultative `clauses` : le public éligible aux heures d'insertion d'une clause.

L'arbre a le format de la section `eligibilite` (docs/eligibilite.md : nœuds `tous`, `un_parmi`,
`non`, critères `type:`), avec un critère de plus, propre aux clauses : `salarie_iae` (personne
embauchée par une SIAE, parcours IAE en cours). Il s'applique aux participants du PLIE comme aux
candidats externes (001:L4348), et rend le même résultat expliqué en français que le moteur
d'éligibilité (`Evaluation`), dont il réutilise les critères. Documentation : docs/clauses.md.

La personne évaluée suit le format d'entrée du moteur, plus le champ `salarie_iae` (booléen).
"""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import (
    ABSENT,
    Erreur,
    ReferentielInvalide,
    Verificateur,
    contenu_en_vigueur,
    erreurs_de,
)
from parcours.referentiel.sections import territoires as section_territoires
from parcours.referentiel.sections.eligibilite import arbre, moteur
from parcours.referentiel.sections.eligibilite.criteres import CRITERES, NOMS
from parcours.referentiel.sections.eligibilite.personne import PersonneInvalide, valider_personne
from parcours.referentiel.sections.eligibilite.vocabulaire import TYPES_CRITERE
from parcours.referentiel.sections.territoires import Territoire

CLE = "clauses"
OBLIGATOIRE = False
# Critères propres à la clause : type -> (paramètres obligatoires, paramètres facultatifs).
TYPES_CLAUSE = {"salarie_iae": ((), ())}
TYPES = {**TYPES_CRITERE, **TYPES_CLAUSE}


# --- Validation -------------------------------------------------------------------------------


def valider(v: Verificateur, section) -> None:
    """Ajoute à `v` les erreurs de la section `clauses` (chemins préfixés par `clauses`)."""
    if v.objet(section, "clauses", ("criteres",), ("libelle",)):
        v.texte(section.get("libelle", ABSENT), "clauses.libelle")
        if "criteres" in section:
            arbre.noeud(v, section["criteres"], "clauses.criteres", {}, 1, TYPES)


# --- Évaluation -------------------------------------------------------------------------------


def _salarie_iae(noeud, ctx):
    if ctx.salarie_iae:
        return True, "Salarié en insertion (parcours IAE en cours dans une SIAE)"
    return False, "Pas de parcours IAE en cours"


EVALUATEURS = {**CRITERES, "salarie_iae": _salarie_iae}
NOMS_CLAUSE = {**NOMS, "salarie_iae": lambda n: "salarié en insertion dans une SIAE"}


@dataclass(frozen=True)
class Clauses:
    """Le public éligible aux clauses d'un PLIE (section `clauses` validée), prêt à évaluer."""

    criteres: dict  # la racine de l'arbre, telle que dans le fichier
    nom_plie: str
    territoires: tuple[Territoire, ...]

    def evaluer(self, personne: dict) -> moteur.Evaluation:
        """`personne` : le format du moteur d'éligibilité plus `salarie_iae` (booléen, faux si
        absent) ; PersonneInvalide si elle est mal formée."""
        donnees = dict(personne)
        salarie_iae = donnees.pop("salarie_iae", False)
        if not isinstance(salarie_iae, bool):
            raise PersonneInvalide("salarie_iae", "true ou false est attendu")
        ctx = moteur.Contexte(self.nom_plie, self.territoires, valider_personne(donnees))
        ctx.salarie_iae = salarie_iae
        criteres: list[moteur.Critere] = []
        eligible = moteur.evaluer_noeud(self.criteres, ctx, criteres, EVALUATEURS, NOMS_CLAUSE)
        return moteur.Evaluation(eligible=eligible, criteres=criteres)


def du_contenu(contenu: dict | None) -> Clauses | None:
    """Le public des clauses d'un contenu déjà validé ; None sans section `clauses`."""
    if not contenu or CLE not in contenu:
        return None
    return Clauses(
        criteres=contenu[CLE]["criteres"],
        nom_plie=contenu["plie"]["nom"],
        territoires=section_territoires.du_contenu(contenu),
    )


def de(plie, date: datetime.date | None = None) -> Clauses | None:
    """Le public des clauses en vigueur ; None sans référentiel ou sans section `clauses`."""
    return du_contenu(contenu_en_vigueur(plie, date))


def evaluer_clause(contenu_referentiel: dict, personne: dict) -> moteur.Evaluation:
    """Applique la section `clauses` d'un référentiel (son contenu) à une personne.

    Lève ReferentielInvalide si la section manque ou est mal formée, PersonneInvalide si la
    personne l'est.
    """
    section = contenu_referentiel.get(CLE)
    if section is None:
        raise ReferentielInvalide(
            "référentiel",
            [Erreur("clauses", "section absente : aucun critère d'éligibilité aux clauses")],
        )
    erreurs = erreurs_de(valider, section)
    if erreurs:
        raise ReferentielInvalide("référentiel", erreurs)
    return du_contenu(contenu_referentiel).evaluer(personne)
