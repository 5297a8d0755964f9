"""Moteur de qualification des sorties positives (docs/sortie.md) : domaine pur, sans base.

`evaluer_sortie(regles, situation)` dit si les contrats d'une personne remplissent une règle de
sortie positive du référentiel de son PLIE (section `sortie`, lue par
parcours/referentiel/sections/sortie/), depuis quand, ou quand ils la rempliront si les contrats
en cours continuent, et l'explique en français.

Le moteur choisit les contrats que chaque règle compte (types, durée hebdomadaire, âge…), les
regroupe (par employeur, par client) et départage les règles ; ce qu'une règle mesure (durée
dans le poste, heures, semaines…) est calculé par ses mesures
(parcours/referentiel/sections/sortie/mesures.py).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from parcours.emploi.enums import CategorieQualification, TypeContrat
from parcours.referentiel import calendrier
from parcours.referentiel.noyau import montrer
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


@dataclass(frozen=True)
class ContratEvalue:
    """Un contrat tel que le moteur le voit. `fin` absente : contrat en cours (sans terme connu).

    `heures_hebdo` : durée hebdomadaire prévue ; `heures` : heures réellement travaillées sur tout
    le contrat (missions d'intérim), prioritaires sur le calcul hebdomadaire quand elles sont
    données. `client` : l'entreprise utilisatrice (intérim, ETTI). Pour une création d'entreprise,
    `debut` est la date d'immatriculation (RCS/RM).
    """

    type: str
    employeur: str
    debut: datetime.date
    fin: datetime.date | None
    heures_hebdo: Decimal | None
    heures: Decimal | None = None
    client: str | None = None


@dataclass(frozen=True)
class Situation:
    """Ce que le moteur évalue : les contrats connus à la date `date`, l'âge à cette date et
    l'accord du participant pour un temps partiel (« temps réduit si volontariat »)."""

    date: datetime.date
    age: int | None
    accord_temps_partiel: bool
    contrats: tuple[ContratEvalue, ...]


@dataclass(frozen=True)
class Qualification:
    """Résultat : la règle retenue (ou la plus proche quand aucune n'est remplie)."""

    qualifie: bool
    categorie: str | None
    regle: str | None
    atteint_le: datetime.date | None
    previsionnel_le: datetime.date | None
    validation_commission_requise: bool
    explication: str

    def as_dict(self) -> dict:
        return {
            "qualifie": self.qualifie,
            "categorie": self.categorie,
            "regle": self.regle,
            "atteint_le": self.atteint_le.isoformat() if self.atteint_le else None,
            "previsionnel_le": self.previsionnel_le.isoformat() if self.previsionnel_le else None,
            "validation_commission_requise": self.validation_commission_requise,
            "explication": self.explication,
        }


class AucunReferentiel(LookupError):
    """Aucune version de référentiel n'est en vigueur pour ce PLIE à cette date."""


def regles_de_sortie(plie, date=None) -> section_sortie.Sortie:
    """Les règles de sortie du référentiel du PLIE en vigueur à `date` (aujourd'hui par défaut).

    Lève AucunReferentiel s'il n'y a aucune version en vigueur ; des règles vides si la version
    en vigueur ne définit pas de règles de sortie (evaluer_sortie dira alors « aucune règle »).
    """
    regles = section_sortie.de(plie, date)
    if regles is None:
        quand = f" au {date:%d/%m/%Y}" if date else ""
        raise AucunReferentiel(f"Aucun référentiel en vigueur pour {plie}{quand}.")
    return regles


# --- Lecture de la situation (format JSON de la commande evaluer_sortie, docs/sortie.md) -------

DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHAMPS_SITUATION = {"date": True, "age": False, "accord_temps_partiel": False, "contrats": True}
CHAMPS_CONTRAT = {
    "type": True,
    "employeur": True,
    "debut": True,
    "fin": False,
    "heures_hebdo": False,
    "heures": False,
    "client": False,
}
HEURES_HEBDO_MAX = 168  # heures dans une semaine


class SituationInvalide(ValueError):
    """La situation fournie est mal formée ; `champ` la situe (ex. `contrats[1].debut`)."""

    def __init__(self, champ: str, message: str):
        self.champ = champ
        self.message = message
        super().__init__(f"{champ} : {message}" if champ else message)


def _objet(valeur, champ, connus: dict):
    if not isinstance(valeur, dict):
        raise SituationInvalide(champ, f"un objet JSON est attendu, reçu {montrer(valeur)}")
    for cle, obligatoire in connus.items():
        if obligatoire and cle not in valeur:
            raise SituationInvalide(_joindre(champ, cle), "champ obligatoire absent")
    for cle in valeur:
        if cle not in connus:
            raise SituationInvalide(
                _joindre(champ, str(cle)),
                f"champ inconnu (champs connus : {', '.join(connus)})",
            )


def _joindre(champ, cle):
    return f"{champ}.{cle}" if champ else cle


def _lire_date(valeur, champ, *, nulle=False) -> datetime.date | None:
    if valeur is None and nulle:
        return None
    if not isinstance(valeur, str):
        attendu = "une date AAAA-MM-JJ" + (" ou null" if nulle else "")
        raise SituationInvalide(champ, f"{attendu} est attendue, reçu {montrer(valeur)}")
    if not DATE_ISO.match(valeur):
        raise SituationInvalide(champ, f"date invalide « {valeur} » (format AAAA-MM-JJ attendu)")
    try:
        return datetime.date.fromisoformat(valeur)
    except ValueError:
        raise SituationInvalide(champ, f"date invalide « {valeur} »") from None


def _lire_nombre(valeur, champ, *, minimum, maximum=None, strict=False) -> Decimal | None:
    if valeur is None:
        return None
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        raise SituationInvalide(champ, f"un nombre est attendu, reçu {montrer(valeur)}")
    nombre = Decimal(str(valeur))
    if not nombre.is_finite() or nombre < minimum or (strict and nombre == minimum):
        borne = "supérieur à" if strict else "supérieur ou égal à"
        raise SituationInvalide(champ, f"doit être {borne} {minimum}, reçu {valeur}")
    if maximum is not None and nombre > maximum:
        raise SituationInvalide(champ, f"doit être inférieur ou égal à {maximum}, reçu {valeur}")
    return nombre


def _lire_texte(valeur, champ, *, nul=False) -> str | None:
    if valeur is None and nul:
        return None
    if not isinstance(valeur, str) or not valeur.strip():
        raise SituationInvalide(champ, f"un texte non vide est attendu, reçu {montrer(valeur)}")
    return valeur.strip()


def _lire_contrat(donnees, champ) -> ContratEvalue:
    _objet(donnees, champ, CHAMPS_CONTRAT)
    type_contrat = donnees["type"]
    if not isinstance(type_contrat, str) or type_contrat not in TypeContrat.values:
        raise SituationInvalide(
            f"{champ}.type",
            f"type de contrat inconnu {montrer(type_contrat)} "
            f"(types connus : {', '.join(TypeContrat.values)})",
        )
    debut = _lire_date(donnees["debut"], f"{champ}.debut")
    fin = _lire_date(donnees.get("fin"), f"{champ}.fin", nulle=True)
    if fin is not None and fin < debut:
        raise SituationInvalide(
            f"{champ}.fin",
            f"la fin ({date_fr(fin)}) précède le début ({date_fr(debut)})",
        )
    heures = _lire_nombre(donnees.get("heures"), f"{champ}.heures", minimum=0)
    if heures is not None and fin is None:
        raise SituationInvalide(
            f"{champ}.heures",
            "les heures réalisées se rapportent à un contrat terminé ou daté : une fin est "
            "attendue (sinon, donner heures_hebdo)",
        )
    return ContratEvalue(
        type=type_contrat,
        employeur=_lire_texte(donnees["employeur"], f"{champ}.employeur"),
        debut=debut,
        fin=fin,
        heures_hebdo=_lire_nombre(
            donnees.get("heures_hebdo"),
            f"{champ}.heures_hebdo",
            minimum=0,
            maximum=HEURES_HEBDO_MAX,
            strict=True,
        ),
        heures=heures,
        client=_lire_texte(donnees.get("client"), f"{champ}.client", nul=True),
    )


def situation_depuis_json(donnees) -> Situation:
    """La situation décrite en JSON (docs/sortie.md) ; lève SituationInvalide, champ nommé."""
    _objet(donnees, "", CHAMPS_SITUATION)
    date = _lire_date(donnees["date"], "date")
    age = donnees.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        raise SituationInvalide(
            "age", f"un entier positif ou null est attendu, reçu {montrer(age)}"
        )
    accord = donnees.get("accord_temps_partiel", False)
    if not isinstance(accord, bool):
        raise SituationInvalide(
            "accord_temps_partiel", f"true ou false est attendu, reçu {montrer(accord)}"
        )
    liste = donnees["contrats"]
    if not isinstance(liste, list):
        raise SituationInvalide("contrats", f"une liste est attendue, reçu {montrer(liste)}")
    contrats = [_lire_contrat(c, f"contrats[{i}]") for i, c in enumerate(liste)]
    for j, c in enumerate(contrats):
        for i in range(j):
            autre = contrats[i]
            if autre.employeur == c.employeur and _se_chevauchent(autre, c):
                raise SituationInvalide(
                    f"contrats[{j}]",
                    f"chevauche contrats[{i}] chez le même employeur « {c.employeur} » "
                    f"({periode_fr(autre)} et {periode_fr(c)})",
                )
    return Situation(date=date, age=age, accord_temps_partiel=accord, contrats=tuple(contrats))


def _se_chevauchent(a: ContratEvalue, b: ContratEvalue) -> bool:
    return a.debut <= (b.fin or datetime.date.max) and b.debut <= (a.fin or datetime.date.max)


# --- Le moteur ---------------------------------------------------------------------------------


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
        if impossible:
            return self._bilan(None, None, Fraction(0), impossible, ecartes)
        date = situation.date
        # Le premier jour où une mesure est remplie ; à égalité, la première mesure de la liste.
        premier = min(((r.premier, i) for i, r in enumerate(resultats) if r.premier), default=None)
        if premier and premier[0] <= date:
            return self._bilan(premier[0], None, Fraction(1), resultats[premier[1]].rempli, [])
        # Non remplie à la date : la mesure la plus avancée dit où l'on en est.
        _, meilleur = max(enumerate(resultats), key=lambda ir: (ir[1].progres, -ir[0]))
        return self._bilan(
            None, premier[0] if premier else None, meilleur.progres, meilleur.etat, ecartes
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

    def _bilan(self, atteint, previsionnel, progres, texte, ecartes) -> Bilan:
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


def evaluer_sortie(regles: section_sortie.Sortie, situation: Situation) -> Qualification:
    """Évalue toutes les règles de `regles` (section `sortie` lue) sur la situation.

    Plusieurs règles remplies : celle atteinte la première (atteint_le le plus ancien), puis,
    à égalité, la première dans l'ordre du référentiel. Aucune : la règle la plus proche, celle
    qui sera atteinte la première si les contrats en cours continuent, ou à défaut la plus
    avancée (`regle` et `categorie` la nomment alors, avec `qualifie` faux).
    Les règles `manuel` (cas particulier jugé par la commission) ne sont jamais évaluées ici.
    """
    date = situation.date
    auto = [r for r in regles_evaluables(regles) if not r.manuel]
    if not auto:
        return Qualification(
            False,
            None,
            None,
            None,
            None,
            False,
            "Le référentiel ne définit aucune règle de sortie positive évaluable.",
        )
    bilans = [r.evaluer(situation) for r in auto]
    remplies = [b for b in bilans if b.atteint_le]
    if remplies:
        b = min(remplies, key=lambda b: (b.atteint_le, b.rang))
        explication = f"Sortie positive « {b.libelle} » ({_categorie(b)}) : {b.explication}."
        if b.validation_commission:
            explication += " Validation de la commission requise."
        return Qualification(
            True, b.categorie, b.code, b.atteint_le, None, b.validation_commission, explication
        )
    b = min(
        bilans,
        key=lambda b: (
            b.previsionnel_le is None,
            b.previsionnel_le or datetime.date.max,
            -b.progres,
            b.rang,
        ),
    )
    explication = (
        f"Aucune règle de sortie positive remplie au {date_fr(date)}. "
        f"La plus proche : « {b.libelle} » ({_categorie(b)}) : {b.explication}."
    )
    if b.previsionnel_le:
        explication += (
            f" Atteinte prévue le {date_fr(b.previsionnel_le)} si les contrats en cours se "
            "poursuivent."
        )
    else:
        explication += " Non atteignable avec les contrats connus."
    if b.validation_commission:
        explication += " Validation de la commission requise."
    return Qualification(
        False, b.categorie, b.code, None, b.previsionnel_le, b.validation_commission, explication
    )


def _categorie(b: Bilan) -> str:
    try:
        return CategorieQualification(b.categorie).label.lower()
    except ValueError:
        return str(b.categorie)


def issue_incarceration(
    regles: section_sortie.Sortie, debut: datetime.date, fin_prevue: datetime.date
) -> str:
    """« sortie » ou « suspension » pour une incarcération du `debut` à la `fin_prevue` : au-delà
    du seuil, sortie ; en deçà, suspension ; au seuil exact, ce que le référentiel dit."""
    terme = calendrier.terme(debut, regles.incarceration.seuil_mois)
    if fin_prevue > terme:
        return "sortie"
    if fin_prevue < terme:
        return "suspension"
    return regles.incarceration.au_seuil
