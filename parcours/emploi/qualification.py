"""Moteur de qualification des sorties positives (docs/sortie.md) : domaine pur, sans base.

`evaluer_sortie(regles, situation)` dit si les contrats d'une personne remplissent une règle de
sortie positive du référentiel de son PLIE (section `sortie`), depuis quand, ou quand ils la
rempliront si les contrats en cours continuent, et l'explique en français.
"""

import bisect
import datetime
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from parcours.emploi import calendrier
from parcours.emploi.enums import CategorieQualification, TypeContrat


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


def regles_de_sortie(plie, date=None) -> dict:
    """La section `sortie` du référentiel du PLIE en vigueur à `date` (aujourd'hui par défaut).

    Lève AucunReferentiel s'il n'y a aucune version en vigueur ; renvoie {} si la version en
    vigueur ne définit pas de règles de sortie (evaluer_sortie dira alors « aucune règle »).
    """
    from parcours.referentiel.models import Referentiel

    referentiel = Referentiel.objects.en_vigueur(plie, date)
    if referentiel is None:
        quand = f" au {date:%d/%m/%Y}" if date else ""
        raise AucunReferentiel(f"Aucun référentiel en vigueur pour {plie}{quand}.")
    return referentiel.contenu.get("sortie") or {}


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


def _montrer(valeur) -> str:
    if valeur is None:
        return "null"
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, str):
        return f"« {valeur} »"
    if isinstance(valeur, list):
        return "une liste"
    if isinstance(valeur, dict):
        return "un objet"
    return str(valeur)


def _objet(valeur, champ, connus: dict):
    if not isinstance(valeur, dict):
        raise SituationInvalide(champ, f"un objet JSON est attendu, reçu {_montrer(valeur)}")
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
        raise SituationInvalide(champ, f"{attendu} est attendue, reçu {_montrer(valeur)}")
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
        raise SituationInvalide(champ, f"un nombre est attendu, reçu {_montrer(valeur)}")
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
        raise SituationInvalide(champ, f"un texte non vide est attendu, reçu {_montrer(valeur)}")
    return valeur.strip()


def _lire_contrat(donnees, champ) -> ContratEvalue:
    _objet(donnees, champ, CHAMPS_CONTRAT)
    type_contrat = donnees["type"]
    if not isinstance(type_contrat, str) or type_contrat not in TypeContrat.values:
        raise SituationInvalide(
            f"{champ}.type",
            f"type de contrat inconnu {_montrer(type_contrat)} "
            f"(types connus : {', '.join(TypeContrat.values)})",
        )
    debut = _lire_date(donnees["debut"], f"{champ}.debut")
    fin = _lire_date(donnees.get("fin"), f"{champ}.fin", nulle=True)
    if fin is not None and fin < debut:
        raise SituationInvalide(
            f"{champ}.fin",
            f"la fin ({_date_fr(fin)}) précède le début ({_date_fr(debut)})",
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
            "age", f"un entier positif ou null est attendu, reçu {_montrer(age)}"
        )
    accord = donnees.get("accord_temps_partiel", False)
    if not isinstance(accord, bool):
        raise SituationInvalide(
            "accord_temps_partiel", f"true ou false est attendu, reçu {_montrer(accord)}"
        )
    liste = donnees["contrats"]
    if not isinstance(liste, list):
        raise SituationInvalide("contrats", f"une liste est attendue, reçu {_montrer(liste)}")
    contrats = [_lire_contrat(c, f"contrats[{i}]") for i, c in enumerate(liste)]
    for j, c in enumerate(contrats):
        for i in range(j):
            autre = contrats[i]
            if autre.employeur == c.employeur and _se_chevauchent(autre, c):
                raise SituationInvalide(
                    f"contrats[{j}]",
                    f"chevauche contrats[{i}] chez le même employeur « {c.employeur} » "
                    f"({_periode_fr(autre)} et {_periode_fr(c)})",
                )
    return Situation(date=date, age=age, accord_temps_partiel=accord, contrats=tuple(contrats))


def _se_chevauchent(a: ContratEvalue, b: ContratEvalue) -> bool:
    return a.debut <= (b.fin or datetime.date.max) and b.debut <= (a.fin or datetime.date.max)


def _periode_fr(c: ContratEvalue) -> str:
    if c.fin is None:
        return f"depuis le {_date_fr(c.debut)}"
    return f"du {_date_fr(c.debut)} au {_date_fr(c.fin)}"


# --- Mise en forme française -------------------------------------------------------------------


def _date_fr(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


def _nombre(valeur, arrondi=ROUND_FLOOR) -> str:
    """1215 -> « 1 215 » ; 912.5 -> « 912,5 » (une décimale au plus, arrondie vers `arrondi`)."""
    valeur = (
        Decimal(valeur.numerator) / Decimal(valeur.denominator)
        if isinstance(valeur, Fraction)
        else Decimal(str(valeur))
    )
    valeur = valeur.quantize(Decimal("0.1"), rounding=arrondi)
    entier, _, decimales = f"{valeur:f}".partition(".")
    signe = "-" if entier.startswith("-") else ""
    entier = entier.lstrip("-")
    groupes = []
    while entier:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    texte = signe + " ".join(groupes or ["0"])
    if decimales and decimales.strip("0"):
        texte += "," + decimales.rstrip("0")
    return texte


# --- Le moteur ---------------------------------------------------------------------------------

# Valeurs par défaut des paramètres de la section `sortie` (docs/sortie.md).
HEURES_TEMPS_PLEIN = 35
JOURS_PAR_MOIS = 30
TOLERANCE_INTERRUPTION_JOURS = 0
# Mesures d'une règle ; quand une règle en donne plusieurs, l'une suffit (« 39 semaines ou
# 1 200 h ») et la règle est remplie le premier jour où l'une l'est.
MESURES = ("des_le_debut", "a_la_fin", "duree_min_mois", "heures_min", "semaines_min")
LIBELLES_COURTS = {
    "cdi": "CDI",
    "cdd": "CDD",
    "interim": "intérim",
    "contrat_aide": "contrat aidé",
    "cddi_aci": "CDDI en ACI",
    "cddi_ei": "CDDI en EI",
    "ai": "AI",
    "etti": "ETTI",
    "apprentissage": "apprentissage",
    "professionnalisation": "professionnalisation",
    "cesu": "CESU",
    "creation_entreprise": "création d'entreprise",
    "formation_qualifiante": "formation qualifiante",
    "fonction_publique": "fonction publique",
}


def _fraction(valeur) -> Fraction | None:
    if valeur is None:
        return None
    if isinstance(valeur, float):
        return Fraction(str(valeur))
    return Fraction(valeur)


def _heures_hebdo_effectives(c: ContratEvalue) -> Fraction | None:
    """Durée hebdomadaire prévue, ou, à défaut, moyenne des heures réalisées par semaine."""
    if c.heures_hebdo is not None:
        return Fraction(c.heures_hebdo)
    if c.heures is not None and c.fin is not None:
        return Fraction(c.heures) * 7 / calendrier.jours(c.debut, c.fin)
    return None


@dataclass(frozen=True)
class _Periode:
    """Un contrat compté par une règle : fin effective (horizon s'il est en cours), heures/jour."""

    contrat: ContratEvalue
    debut: datetime.date
    fin: datetime.date
    par_jour: Fraction


@dataclass(frozen=True)
class _Resultat:
    """Une mesure d'une règle sur un groupe de contrats (tous, un employeur, un client)."""

    premier: datetime.date | None  # premier jour où la mesure est remplie (jusqu'à l'horizon)
    progres: Fraction  # au jour de l'évaluation, entre 0 et 1
    rempli: str  # ce qui a été atteint et quand (quand premier n'est pas None)
    etat: str  # où en est la mesure au jour de l'évaluation


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
    """Une règle de la section `sortie` (déjà validée par parcours/referentiel/sortie.py)."""

    def __init__(self, donnees: dict, section: dict, rang: int = 0):
        self.rang = rang
        self.code = donnees["code"]
        self.libelle = donnees.get("libelle", self.code)
        self.categorie = donnees.get("categorie")
        self.manuel = bool(donnees.get("manuel", False))
        self.validation_commission = bool(donnees.get("validation_commission", False))
        types = donnees.get("types")
        exclus = set(donnees.get("types_exclus") or ())
        self.types = frozenset(
            t for t in (types if types is not None else TypeContrat.values) if t not in exclus
        )
        self.types_exclus = frozenset(exclus) if types is None else frozenset()
        self.meme_employeur = bool(donnees.get("meme_employeur", False))
        self.meme_client = bool(donnees.get("meme_client", False))
        self.temps_plein_ou_accord = bool(donnees.get("temps_plein_ou_accord", False))
        self.heures_temps_plein = _fraction(section.get("heures_temps_plein", HEURES_TEMPS_PLEIN))
        self.heures_hebdo_min = _fraction(donnees.get("heures_hebdo_min"))
        self.sauf_accord = bool(donnees.get("sauf_accord", False))
        self.duree_contrat_min_mois = donnees.get("duree_contrat_min_mois")
        self.sans_terme = bool(donnees.get("sans_terme", False))
        self.age_min = donnees.get("age_min")
        self.des_le_debut = bool(donnees.get("des_le_debut", False))
        self.a_la_fin = bool(donnees.get("a_la_fin", False))
        self.duree_min_mois = donnees.get("duree_min_mois")
        self.sans_interruption = bool(donnees.get("sans_interruption", True))
        self.heures_min = _fraction(donnees.get("heures_min"))
        self.semaines_min = _fraction(donnees.get("semaines_min"))
        self.fenetre_mois = donnees.get("fenetre_mois")
        self.tolerance = donnees.get(
            "tolerance_interruption_jours",
            section.get("tolerance_interruption_jours", TOLERANCE_INTERRUPTION_JOURS),
        )
        self.jours_par_mois = section.get("jours_par_mois", JOURS_PAR_MOIS)

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
                    f"moins qu'un temps plein ({_nombre(minimum)} h)"
                    if self.temps_plein_ou_accord
                    else f"moins de {_nombre(minimum)} h"
                )
                sans = " sans accord du participant pour un temps partiel" if derogeable else ""
                return f"{qui} : {_nombre(hebdo)} h par semaine, {quoi}{sans}"
        if self.sans_terme and c.fin is not None:
            return f"{qui} : contrat à durée déterminée (fin le {_date_fr(c.fin)})"
        mois = self.duree_contrat_min_mois
        if mois and c.fin is not None and c.fin < calendrier.terme(c.debut, mois):
            return f"{qui} : contrat de moins de {mois} mois ({_periode_fr(c)})"
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
            exclus = ", ".join(LIBELLES_COURTS[t] for t in _ordonnes(self.types_exclus))
            return f"contrats (hors {exclus})"
        types = ", ".join(LIBELLES_COURTS[t] for t in _ordonnes(self.types))
        return f"contrats ({types})" if len(self.types) > 1 else types

    def _horizon(self, derniere: datetime.date) -> datetime.date:
        """Au-delà, plus rien ne change si les contrats en cours continuent (docs/sortie.md)."""
        mois = 2 * (self.duree_min_mois or 0) + (self.fenetre_mois or 0)
        if self.duree_contrat_min_mois:
            mois += self.duree_contrat_min_mois
        return calendrier.ajouter_mois(derniere, mois + 2)

    # -- évaluation ---------------------------------------------------------------------------

    def _resultats(self, situation: Situation):
        """(mesures par groupe de contrats, contrats écartés, motif d'impossibilité ou None)."""
        concernes = sorted(
            (c for c in situation.contrats if c.type in self.types), key=_cle_contrat
        )
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
                c.debut, c.fin, _fraction(c.heures_hebdo), _fraction(c.heures)
            )
            periode = _Periode(c, c.debut, c.fin or horizon, par_jour)
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

    def _mesurer(self, periodes, date, horizon, chez) -> list[_Resultat]:
        quoi = self._quoi() + chez
        sur = f" sur {self.fenetre_mois} mois glissants" if self.fenetre_mois else ""
        resultats = []
        if self.des_le_debut:
            resultats.append(_des_le_debut(periodes, date))
        if self.a_la_fin:
            resultats.append(_a_la_fin(periodes, date))
        if self.duree_min_mois and self.sans_interruption:
            resultats.append(
                _duree_continue(periodes, date, self.duree_min_mois, self.tolerance, quoi)
            )
        elif self.duree_min_mois:
            seuil = self.duree_min_mois * self.jours_par_mois
            resultats.append(
                _cumul(
                    _Cumul(periodes, horizon, "jours"),
                    date,
                    Fraction(seuil),
                    self.fenetre_mois,
                    f"{self.duree_min_mois} mois cumulés ({seuil} jours) de {quoi}{sur}",
                )
            )
        if self.semaines_min is not None:
            seuil = self.semaines_min * 7
            resultats.append(
                _cumul(
                    _Cumul(periodes, horizon, "jours"),
                    date,
                    seuil,
                    self.fenetre_mois,
                    f"{_nombre(self.semaines_min)} semaines ({_nombre(seuil)} jours) "
                    f"de {quoi}{sur}",
                )
            )
        if self.heures_min is not None:
            resultats.append(
                _cumul(
                    _Cumul(periodes, horizon, "heures"),
                    date,
                    self.heures_min,
                    self.fenetre_mois,
                    f"{_nombre(self.heures_min)} h de {quoi}{sur}",
                )
            )
        return resultats


def _ordonnes(types) -> list[str]:
    """Les types dans l'ordre de TypeContrat (explications stables)."""
    return [t for t in TypeContrat.values if t in types]


def _cle_contrat(c: ContratEvalue):
    return (
        c.debut,
        c.fin or datetime.date.max,
        c.type,
        c.employeur,
        c.client or "",
        c.heures_hebdo or 0,
        c.heures or 0,
    )


def _cle_groupe(cle):
    if cle[0] == "inconnu":
        return (cle[0], _cle_contrat(cle[1]))
    return cle


def _embauche(c: ContratEvalue) -> str:
    if c.type == TypeContrat.FORMATION_QUALIFIANTE:
        return f"entrée en formation qualifiante (« {c.employeur} ») le {_date_fr(c.debut)}"
    if c.type == TypeContrat.CREATION_ENTREPRISE:
        return f"immatriculation de l'entreprise « {c.employeur} » le {_date_fr(c.debut)}"
    return f"embauche en {LIBELLES_COURTS[c.type]} chez « {c.employeur} » le {_date_fr(c.debut)}"


def _terme_du_contrat(c: ContratEvalue, fin: datetime.date) -> str:
    if c.type == TypeContrat.FORMATION_QUALIFIANTE:
        return f"fin de la formation qualifiante (« {c.employeur} ») le {_date_fr(fin)}"
    return f"fin du contrat ({LIBELLES_COURTS[c.type]} chez « {c.employeur} ») le {_date_fr(fin)}"


def _des_le_debut(periodes, date) -> _Resultat:
    p = min(periodes, key=lambda p: _cle_contrat(p.contrat))
    duree = "sans date de fin" if p.contrat.fin is None else f"jusqu'au {_date_fr(p.contrat.fin)}"
    return _Resultat(
        premier=p.debut,
        progres=Fraction(1 if p.debut <= date else 0),
        rempli=f"{_embauche(p.contrat)} ({duree})",
        etat=f"{_embauche(p.contrat)} ({duree}), à venir",
    )


def _a_la_fin(periodes, date) -> _Resultat:
    finies = sorted((p for p in periodes if p.contrat.fin), key=lambda p: p.fin)
    premiere = finies[0] if finies else None
    progres, etat = Fraction(0), None
    for p in periodes:
        if p.debut > date:
            continue
        if p.contrat.fin is None:
            etat = etat or f"{_embauche(p.contrat)}, sans date de fin connue"
            continue
        avance = Fraction(
            calendrier.jours(p.debut, min(p.fin, date)), calendrier.jours(p.debut, p.fin)
        )
        if avance > progres or etat is None:
            progres = max(progres, avance)
            etat = f"{_embauche(p.contrat)}, {_terme_du_contrat(p.contrat, p.fin)} (prévue)"
    if etat is None:
        etat = f"{_embauche(periodes[0].contrat)} (à venir)"
    return _Resultat(
        premier=premiere.fin if premiere else None,
        progres=progres,
        rempli=_terme_du_contrat(premiere.contrat, premiere.fin) if premiere else "",
        etat=etat,
    )


def _duree_continue(periodes, date, mois, tolerance, quoi) -> _Resultat:
    libelle = f"{mois} mois sans interruption de {quoi}"
    continues = calendrier.enchainer(((p.debut, p.fin) for p in periodes), tolerance)
    remplies = [
        (calendrier.terme(debut, mois), debut)
        for debut, fin in continues
        if calendrier.terme(debut, mois) <= fin
    ]
    premier = min(remplies, default=None)
    progres, etat = Fraction(0), f"{libelle} : aucun contrat commencé au {_date_fr(date)}"
    for debut, fin in continues:
        if debut > date:
            continue
        faits = calendrier.jours(debut, min(fin, date))
        requis = calendrier.jours(debut, calendrier.terme(debut, mois))
        if Fraction(faits, requis) > progres or progres == 0:
            progres = Fraction(faits, requis)
            if fin >= date:
                etat = (
                    f"{libelle} : {faits} jours depuis le {_date_fr(debut)} au {_date_fr(date)}, "
                    f"il manque {max(requis - faits, 0)} jours"
                )
            else:
                etat = (
                    f"{libelle} : {faits} jours du {_date_fr(debut)} au {_date_fr(fin)} "
                    f"(interrompu), sur {requis} jours requis"
                )
    return _Resultat(
        premier=premier[0] if premier else None,
        progres=progres,
        rempli=(
            f"{libelle} depuis le {_date_fr(premier[1])}, atteint le {_date_fr(premier[0])}"
            if premier
            else ""
        ),
        etat=etat,
    )


class _Cumul:
    """Jours couverts (union des contrats) ou heures (somme), jour par jour, en sommes cumulées."""

    def __init__(self, periodes, horizon: datetime.date, unite: str):
        self.unite = unite
        self.origine = min(p.debut for p in periodes)
        n = (horizon - self.origine).days + 1
        variation = [Fraction(0)] * (n + 1)
        if unite == "jours":
            for debut, fin in calendrier.enchainer((p.debut, p.fin) for p in periodes):
                variation[(debut - self.origine).days] += 1
                variation[(fin - self.origine).days + 1] -= 1
        else:
            for p in periodes:
                variation[(p.debut - self.origine).days] += p.par_jour
                variation[(p.fin - self.origine).days + 1] -= p.par_jour
        self.par_jour, self.cumul = [], [Fraction(0)]
        courant = Fraction(0)
        for i in range(n):
            courant += variation[i]
            self.par_jour.append(courant)
            self.cumul.append(self.cumul[-1] + courant)
        self.n = n

    def jour(self, i: int) -> datetime.date:
        return self.origine + datetime.timedelta(days=i)

    def valeur(self, i: int, fenetre: int | None) -> Fraction:
        """Total du jour `i` inclus, sur les `fenetre` mois glissants (ou depuis l'origine)."""
        if i < 0:
            return Fraction(0)
        i = min(i, self.n - 1)
        j = 0
        if fenetre:
            j = max((_debut_fenetre(self.jour(i), fenetre) - self.origine).days, 0)
        return self.cumul[i + 1] - self.cumul[j]

    def montrer(self, valeur, arrondi=ROUND_FLOOR) -> str:
        return (
            f"{_nombre(valeur, arrondi)} h"
            if self.unite == "heures"
            else (f"{_nombre(valeur, arrondi)} jours")
        )


@functools.lru_cache(maxsize=20000)
def _debut_fenetre(jour, mois):
    return calendrier.debut_fenetre(jour, mois)


def _cumul(cumul: _Cumul, date, seuil: Fraction, fenetre, libelle) -> _Resultat:
    premier = None
    if fenetre:
        # Le total ne grandit qu'un jour travaillé : les autres jours n'ont pas à être essayés.
        for i in range(cumul.n):
            if cumul.par_jour[i] > 0 and cumul.valeur(i, fenetre) >= seuil:
                premier = cumul.jour(i)
                break
    else:
        k = bisect.bisect_left(cumul.cumul, seuil)
        if k <= cumul.n:
            premier = cumul.jour(max(k - 1, 0))
    valeur = cumul.valeur((date - cumul.origine).days, fenetre)
    manque = max(seuil - valeur, Fraction(0))
    return _Resultat(
        premier=premier,
        progres=min(valeur / seuil, Fraction(1)),
        rempli=f"{libelle}, atteint le {_date_fr(premier)}" if premier else "",
        etat=(
            f"{libelle} : {cumul.montrer(valeur)} au {_date_fr(date)}, "
            f"il manque {cumul.montrer(manque, ROUND_CEILING)}"
        ),
    )


def regles_evaluables(regles: dict) -> list[Regle]:
    """Les règles de la section `sortie`, dans l'ordre du fichier (rang = position)."""
    return [Regle(r, regles, i) for i, r in enumerate((regles or {}).get("regles") or [])]


def evaluer_sortie(regles: dict, situation: Situation) -> Qualification:
    """Évalue toutes les règles de `regles` (section `sortie` d'un référentiel) sur la situation.

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
        f"Aucune règle de sortie positive remplie au {_date_fr(date)}. "
        f"La plus proche : « {b.libelle} » ({_categorie(b)}) : {b.explication}."
    )
    if b.previsionnel_le:
        explication += (
            f" Atteinte prévue le {_date_fr(b.previsionnel_le)} si les contrats en cours se "
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


# Incarcération : au-delà du seuil, sortie ; en deçà, suspension ; au seuil exact, ce que le
# référentiel dit (les sources se contredisent : docs/sortie.md).
INCARCERATION_SEUIL_MOIS = 3
INCARCERATION_AU_SEUIL = "suspension"


def issue_incarceration(regles: dict, debut: datetime.date, fin_prevue: datetime.date) -> str:
    """« sortie » ou « suspension » pour une incarcération du `debut` à la `fin_prevue`."""
    conf = (regles or {}).get("incarceration") or {}
    seuil = conf.get("seuil_mois", INCARCERATION_SEUIL_MOIS)
    terme = calendrier.terme(debut, seuil)
    if fin_prevue > terme:
        return "sortie"
    if fin_prevue < terme:
        return "suspension"
    return conf.get("au_seuil", INCARCERATION_AU_SEUIL)
