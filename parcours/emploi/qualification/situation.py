"""La situation que le moteur de sortie évalue (docs/sortie.md) : les contrats d'une personne
à une date, son âge, son accord pour un temps partiel ; et sa lecture depuis le format JSON de la
commande `evaluer_sortie`, qui nomme le champ fautif."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from parcours.emploi.enums import TypeContrat
from parcours.referentiel.noyau import montrer
from parcours.referentiel.sections.sortie.calcul import date_fr, periode_fr


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
