"""Le moteur de qualification des sorties positives (docs/sortie.md) : domaine pur, sans base
(hors la lecture des règles du PLIE par `regles_de_sortie`).

`evaluer_sortie(regles, situation)` dit si les contrats d'une personne remplissent une règle de
sortie positive du référentiel de son PLIE (section `sortie`, lue par
parcours/referentiel/sections/sortie/), depuis quand, ou quand ils la rempliront si les contrats
en cours continuent, et l'explique en français. Chaque règle est évaluée par `regles.py` ; le
moteur les départage.
"""

import datetime
from dataclasses import dataclass

from parcours.emploi.enums import CategorieQualification
from parcours.emploi.qualification.regles import Bilan, regles_evaluables
from parcours.emploi.qualification.situation import Situation
from parcours.referentiel import calendrier
from parcours.referentiel.sections import sortie as section_sortie
from parcours.referentiel.sections.sortie.calcul import date_fr


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
    # Le libellé de la règle retenue (celui du référentiel), pour les écrans : `regle` (le
    # code) reste dans le JSON de la commande et les exports (as_dict).
    libelle: str = ""

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


def evaluer_sortie(regles: section_sortie.Sortie, situation: Situation) -> Qualification:
    """Évalue toutes les règles de `regles` (section `sortie` lue) sur la situation.

    Plusieurs règles remplies : celle atteinte la première (atteint_le le plus ancien), puis,
    à égalité, la première dans l'ordre du référentiel. Aucune : la règle la plus proche, celle
    qui sera atteinte la première avec les contrats connus (y compris ceux qui commencent après
    la date), ou à défaut la plus avancée d'un type de contrat que la personne a (`regle` et
    `categorie` la nomment alors, avec `qualifie` faux).
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
    if not situation.contrats:
        # Rien à comparer : nommer « la plus proche » une règle prise au hasard de l'ordre du
        # fichier (« aucun contrat compté (CDI) ») égarerait le lecteur.
        return Qualification(
            False,
            None,
            None,
            None,
            None,
            False,
            f"Aucun contrat enregistré au {date_fr(date)} : aucune règle de sortie positive "
            "ne peut encore être remplie.",
        )
    bilans = [r.evaluer(situation) for r in auto]
    remplies = [b for b in bilans if b.atteint_le]
    if remplies:
        b = min(remplies, key=lambda b: (b.atteint_le, b.rang))
        explication = f"Sortie positive « {b.libelle} » ({_categorie(b)}) : {b.explication}."
        if b.validation_commission:
            explication += " Validation de la commission requise."
        return Qualification(
            True,
            b.categorie,
            b.code,
            b.atteint_le,
            None,
            b.validation_commission,
            explication,
            b.libelle,
        )
    # La plus proche : celle qui sera atteinte la première avec les contrats connus ; sinon la
    # plus avancée parmi les règles d'un type de contrat que la personne a (une règle CDI ne
    # répond pas pour un CDD) ; à égalité, l'ordre du fichier.
    b = min(
        bilans,
        key=lambda b: (
            b.previsionnel_le is None,
            b.previsionnel_le or datetime.date.max,
            not b.concerne,
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
        False,
        b.categorie,
        b.code,
        None,
        b.previsionnel_le,
        b.validation_commission,
        explication,
        b.libelle,
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
