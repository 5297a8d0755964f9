"""Une règle de sortie du référentiel appliquée aux contrats d'une situation (docs/sortie.md) :
quels contrats elle compte (types, durée hebdomadaire, âge…), comment elle les regroupe (par
employeur, par client), et ce qu'en disent ses mesures
(parcours/referentiel/sections/sortie/mesures.py) : remplie depuis quand, ou quand elle le
sera si les contrats en cours continuent, et pourquoi."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from parcours.emploi.enums import TypeContrat
from parcours.emploi.qualification.situation import ContratEvalue, Situation
from parcours.referentiel import calendrier
from parcours.referentiel.sections import sortie as section_sortie
from parcours.referentiel.sections.sortie.calcul import (
    Periode,
    cle_contrat,
    date_fr,
    fraction,
    nombre,
    periode_fr,
)
from parcours.referentiel.sections.sortie.vocabulaire import LIBELLES_COURTS, ordonnes


def _heures_hebdo_effectives(c: ContratEvalue) -> Fraction | None:
    """Durée hebdomadaire prévue, ou, à défaut, moyenne des heures réalisées par semaine."""
    if c.heures_hebdo is not None:
        return Fraction(c.heures_hebdo)
    if c.heures is not None and c.fin is not None:
        return Fraction(c.heures) * 7 / calendrier.jours(c.debut, c.fin)
    return None


@dataclass(frozen=True)
class Bilan:
    """Une règle évaluée : premier jour rempli (≤ date), prévision, progrès et explication."""

    code: str
    rang: int
    libelle: str
    categorie: str
    validation_commission: bool
    atteint_le: datetime.date | None
    previsionnel_le: datetime.date | None
    progres: Fraction
    explication: str
    # La personne a au moins un contrat d'un type de la règle (compté ou non) : « la plus
    # proche » se cherche d'abord parmi ces règles-là (moteur.evaluer_sortie).
    concerne: bool = False


class Regle:
    """Une règle de la section `sortie` appliquée aux contrats d'une situation ; sa définition
    (`RegleSortie`, parcours/referentiel/sections/sortie/regles.py) se lit sur elle
    (`regle.code`, `regle.types`, `regle.fenetre_mois`…)."""

    def __init__(self, definition: section_sortie.RegleSortie):
        self.definition = definition

    def __getattr__(self, nom):
        if nom == "definition":  # pas encore posée (copie) : ne pas boucler
            raise AttributeError(nom)
        return getattr(self.definition, nom)

    # -- quels contrats comptent --------------------------------------------------------------

    def ecart(self, c: ContratEvalue, situation: Situation) -> str | None:
        """Pourquoi ce contrat (d'un type de la règle) n'est pas compté, ou None s'il l'est."""
        qui = f"{LIBELLES_COURTS.get(c.type, c.type)} chez « {c.employeur} »"
        minimum, derogeable = None, False
        if self.temps_plein_ou_accord:
            minimum, derogeable = self.heures_temps_plein, True
        elif self.heures_hebdo_min is not None:
            minimum, derogeable = self.heures_hebdo_min, self.sauf_accord
        if minimum is not None and not (derogeable and situation.accord_temps_partiel):
            hebdo = _heures_hebdo_effectives(c)
            if hebdo is None:
                return f"{qui} : durée hebdomadaire inconnue"
            if hebdo < minimum:
                quoi = (
                    f"moins qu'un temps plein ({nombre(minimum)} h)"
                    if self.temps_plein_ou_accord
                    else f"moins de {nombre(minimum)} h"
                )
                sans = " sans accord du participant pour un temps partiel" if derogeable else ""
                return f"{qui} : {nombre(hebdo)} h par semaine, {quoi}{sans}"
        if self.sans_terme and c.fin is not None:
            return f"{qui} : contrat à durée déterminée (fin le {date_fr(c.fin)})"
        mois = self.duree_contrat_min_mois
        if mois and c.fin is not None and c.fin < calendrier.terme(c.debut, mois):
            return f"{qui} : contrat de moins de {mois} mois ({periode_fr(c)})"
        return None

    def _groupe(self, c: ContratEvalue):
        if self.meme_client:
            # Entreprise utilisatrice inconnue : le contrat ne s'additionne à aucun autre.
            return ("client", c.client) if c.client else ("inconnu", c)
        if self.meme_employeur:
            return ("employeur", c.employeur)
        return ("tous",)

    def _chez(self, cle) -> str:
        if cle[0] == "client":
            return f" pour l'entreprise utilisatrice « {cle[1]} »"
        if cle[0] == "employeur":
            return f" chez « {cle[1]} »"
        if cle[0] == "inconnu":
            return f" chez « {cle[1].employeur} » (entreprise utilisatrice inconnue)"
        return ""

    def _quoi(self) -> str:
        if self.types == {TypeContrat.INTERIM}:
            return "travail temporaire"
        if self.types_exclus:
            exclus = ", ".join(LIBELLES_COURTS[t] for t in ordonnes(self.types_exclus))
            return f"contrats (hors {exclus})"
        types = ", ".join(LIBELLES_COURTS[t] for t in ordonnes(self.types))
        return f"contrats ({types})" if len(self.types) > 1 else types

    def _horizon(self, derniere: datetime.date) -> datetime.date:
        """Au-delà, plus rien ne change si les contrats en cours continuent (docs/sortie.md)."""
        mois = sum(m.horizon_mois(valeur) for m, valeur in self.mesures)
        mois += (self.fenetre_mois or 0) + (self.duree_contrat_min_mois or 0)
        return calendrier.ajouter_mois(derniere, mois + 2)

    # -- évaluation ---------------------------------------------------------------------------

    def _resultats(self, situation: Situation):
        """(mesures par groupe de contrats, contrats écartés, motif d'impossibilité ou None)."""
        concernes = sorted((c for c in situation.contrats if c.type in self.types), key=cle_contrat)
        ecartes, comptes = [], []
        for c in concernes:
            motif = self.ecart(c, situation)
            if motif:
                ecartes.append(motif)
            else:
                comptes.append(c)
        if self.age_min is not None and (situation.age is None or situation.age < self.age_min):
            age = "âge inconnu" if situation.age is None else f"{situation.age} ans"
            return [], ecartes, f"{age}, {self.age_min} ans minimum"
        if not comptes:
            return [], ecartes, f"aucun contrat compté ({self._quoi()})"
        date = situation.date
        derniere = max([date, *(c.debut for c in comptes), *(c.fin for c in comptes if c.fin)])
        horizon = self._horizon(derniere)
        groupes: dict = {}
        for c in comptes:
            par_jour = calendrier.heures_par_jour(
                c.debut, c.fin, fraction(c.heures_hebdo), fraction(c.heures)
            )
            periode = Periode(c, c.debut, c.fin or horizon, par_jour)
            groupes.setdefault(self._groupe(c), []).append(periode)
        resultats = []
        for cle in sorted(groupes, key=_cle_groupe):
            resultats.extend(self._mesurer(groupes[cle], date, horizon, self._chez(cle)))
        return resultats, ecartes, None

    def evaluer(self, situation: Situation) -> Bilan:
        resultats, ecartes, impossible = self._resultats(situation)
        concerne = any(c.type in self.types for c in situation.contrats)
        if impossible:
            return self._bilan(None, None, Fraction(0), impossible, ecartes, concerne)
        date = situation.date
        # Le premier jour où une mesure est remplie ; à égalité, la première mesure de la liste.
        premier = min(((r.premier, i) for i, r in enumerate(resultats) if r.premier), default=None)
        if premier and premier[0] <= date:
            rempli = resultats[premier[1]].rempli
            return self._bilan(premier[0], None, Fraction(1), rempli, [], concerne)
        # Non remplie à la date : la mesure la plus avancée dit où l'on en est.
        _, meilleur = max(enumerate(resultats), key=lambda ir: (ir[1].progres, -ir[0]))
        return self._bilan(
            None,
            premier[0] if premier else None,
            meilleur.progres,
            meilleur.etat,
            ecartes,
            concerne,
        )

    def remplie_le(self, situation: Situation, jour: datetime.date) -> bool:
        """La règle est-elle remplie le jour `jour` même (mêmes contrats, même âge) ?

        Différent de « atteinte au plus tard ce jour-là » : une règle à fenêtre glissante
        remplie un jour peut ne plus l'être quand la fenêtre a glissé (docs/sortie.md).
        """
        a_ce_jour = Situation(
            jour, situation.age, situation.accord_temps_partiel, situation.contrats
        )
        resultats, _, impossible = self._resultats(a_ce_jour)
        return not impossible and any(r.progres >= 1 for r in resultats)

    def _bilan(self, atteint, previsionnel, progres, texte, ecartes, concerne) -> Bilan:
        if ecartes:
            texte += f" ; non compté(s) : {' ; '.join(ecartes)}"
        return Bilan(
            code=self.code,
            rang=self.rang,
            libelle=self.libelle,
            categorie=self.categorie,
            validation_commission=self.validation_commission,
            atteint_le=atteint,
            previsionnel_le=previsionnel,
            progres=min(progres, Fraction(1)),
            explication=texte,
            concerne=concerne,
        )

    def _mesurer(self, periodes, date, horizon, chez) -> list:
        quoi = self._quoi() + chez
        return [
            mesure.mesurer(valeur, self.definition, periodes, date, horizon, quoi)
            for mesure, valeur in self.mesures
        ]


def _cle_groupe(cle):
    if cle[0] == "inconnu":
        return (cle[0], cle_contrat(cle[1]))
    return cle


def regles_evaluables(regles: section_sortie.Sortie) -> list[Regle]:
    """Les règles de la section `sortie`, dans l'ordre du fichier (rang = position)."""
    return [Regle(r) for r in regles.regles]
