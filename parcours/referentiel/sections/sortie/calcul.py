"""Ce que les mesures des règles de sortie partagent (mesures.py) : les périodes de contrat
comptées, le résultat d'une mesure, les cumuls de jours ou d'heures sur des mois glissants, et
la mise en forme française des dates, des nombres et des contrats dans les explications.

Un contrat est vu tel que le moteur le décrit (`ContratEvalue`,
parcours/emploi/qualification/situation.py) : ses attributs `type`, `employeur`, `debut`, `fin`,
`heures_hebdo`, `heures`, `client`.
"""

import bisect
import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from parcours.referentiel import calendrier
from parcours.referentiel.sections.sortie.vocabulaire import LIBELLES_COURTS, TypeContrat


def fraction(valeur) -> Fraction | None:
    if valeur is None:
        return None
    if isinstance(valeur, float):
        return Fraction(str(valeur))
    return Fraction(valeur)


@dataclass(frozen=True)
class Periode:
    """Un contrat compté par une règle : fin effective (horizon s'il est en cours), heures/jour."""

    contrat: object  # ContratEvalue
    debut: datetime.date
    fin: datetime.date
    par_jour: Fraction


@dataclass(frozen=True)
class Resultat:
    """Une mesure d'une règle sur un groupe de contrats (tous, un employeur, un client)."""

    premier: datetime.date | None  # premier jour où la mesure est remplie (jusqu'à l'horizon)
    progres: Fraction  # au jour de l'évaluation, entre 0 et 1
    rempli: str  # ce qui a été atteint et quand (quand premier n'est pas None)
    etat: str  # où en est la mesure au jour de l'évaluation


# --- Mise en forme française -------------------------------------------------------------------


def date_fr(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


def _arrondi(valeur, arrondi) -> Decimal:
    valeur = (
        Decimal(valeur.numerator) / Decimal(valeur.denominator)
        if isinstance(valeur, Fraction)
        else Decimal(str(valeur))
    )
    return valeur.quantize(Decimal("0.1"), rounding=arrondi)


def nombre(valeur, arrondi=ROUND_FLOOR) -> str:
    """1215 -> « 1 215 » ; 912.5 -> « 912,5 » (une décimale au plus, arrondie vers `arrondi`)."""
    entier, _, decimales = f"{_arrondi(valeur, arrondi):f}".partition(".")
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


def jours_fr(valeur, arrondi=ROUND_FLOOR) -> str:
    """« 0 jour », « 1 jour », « 1,5 jour », « 12 jours » (pluriel à partir de 2)."""
    pluriel = "s" if _arrondi(valeur, arrondi) >= 2 else ""
    return f"{nombre(valeur, arrondi)} jour{pluriel}"


def periode_fr(c) -> str:
    if c.fin is None:
        return f"depuis le {date_fr(c.debut)}"
    return f"du {date_fr(c.debut)} au {date_fr(c.fin)}"


def cle_contrat(c):
    """Ordre stable des contrats (explications et choix reproductibles)."""
    return (
        c.debut,
        c.fin or datetime.date.max,
        c.type,
        c.employeur,
        c.client or "",
        c.heures_hebdo or 0,
        c.heures or 0,
    )


def embauche(c) -> str:
    if c.type == TypeContrat.FORMATION_QUALIFIANTE:
        return f"entrée en formation qualifiante (« {c.employeur} ») le {date_fr(c.debut)}"
    if c.type == TypeContrat.CREATION_ENTREPRISE:
        return f"immatriculation de l'entreprise « {c.employeur} » le {date_fr(c.debut)}"
    return f"embauche en {LIBELLES_COURTS[c.type]} chez « {c.employeur} » le {date_fr(c.debut)}"


def terme_du_contrat(c, fin: datetime.date) -> str:
    if c.type == TypeContrat.FORMATION_QUALIFIANTE:
        return f"fin de la formation qualifiante (« {c.employeur} ») le {date_fr(fin)}"
    return f"fin du contrat ({LIBELLES_COURTS[c.type]} chez « {c.employeur} ») le {date_fr(fin)}"


# --- Cumuls ------------------------------------------------------------------------------------


class Cumul:
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
            f"{nombre(valeur, arrondi)} h" if self.unite == "heures" else jours_fr(valeur, arrondi)
        )


@functools.lru_cache(maxsize=20000)
def _debut_fenetre(jour, mois):
    return calendrier.debut_fenetre(jour, mois)


def cumuler(cumul: Cumul, date, seuil: Fraction, fenetre, libelle) -> Resultat:
    """Le premier jour où le cumul atteint `seuil` (sur `fenetre` mois glissants s'il y en a)."""
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
    return Resultat(
        premier=premier,
        progres=min(valeur / seuil, Fraction(1)),
        rempli=f"{libelle}, atteint le {date_fr(premier)}" if premier else "",
        etat=(
            f"{libelle} : {cumul.montrer(valeur)} au {date_fr(date)}, "
            f"il manque {cumul.montrer(manque, ROUND_CEILING)}"
        ),
    )
