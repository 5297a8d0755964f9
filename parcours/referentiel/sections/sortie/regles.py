"""La section `sortie` lue : les règles de sortie positive d'un PLIE, typées, valeurs par défaut
appliquées (docs/sortie.md). Le moteur qui les applique est parcours/emploi/qualification/."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from parcours.referentiel.noyau import contenu_en_vigueur
from parcours.referentiel.sections.sortie import mesures
from parcours.referentiel.sections.sortie.calcul import fraction
from parcours.referentiel.sections.sortie.mesures import Mesure
from parcours.referentiel.sections.sortie.vocabulaire import TypeContrat

CLE = "sortie"
# Valeurs par défaut des paramètres de la section (les autres : mesures.py).
HEURES_TEMPS_PLEIN = 35
# Incarcération : au-delà du seuil, sortie ; en deçà, suspension ; au seuil exact, ce que le
# référentiel dit (les sources se contredisent : docs/sortie.md).
INCARCERATION_SEUIL_MOIS = 3
INCARCERATION_AU_SEUIL = "suspension"


@dataclass(frozen=True)
class Incarceration:
    seuil_mois: int = INCARCERATION_SEUIL_MOIS
    au_seuil: str = INCARCERATION_AU_SEUIL  # « sortie » ou « suspension »


@dataclass(frozen=True)
class RegleSortie:
    """Une règle de la section `sortie`, telle que le fichier la décrit (validée)."""

    rang: int  # position dans le fichier (départage les règles atteintes le même jour)
    code: str
    libelle: str
    categorie: str | None
    manuel: bool  # décidée par la commission, jamais évaluée par le moteur
    validation_commission: bool
    # Quels contrats comptent.
    types: frozenset[str]
    types_exclus: frozenset[str]  # seulement quand la règle est écrite « tous sauf »
    meme_employeur: bool
    meme_client: bool
    temps_plein_ou_accord: bool
    heures_temps_plein: Fraction
    heures_hebdo_min: Fraction | None
    sauf_accord: bool
    duree_contrat_min_mois: int | None
    sans_terme: bool
    age_min: int | None
    # Ce qui est mesuré : (mesure, valeur lue) dans l'ordre de MESURES ; l'une suffit.
    mesures: tuple[tuple[Mesure, object], ...]
    fenetre_mois: int | None


@dataclass(frozen=True)
class Sortie:
    regles: tuple[RegleSortie, ...]
    incarceration: Incarceration

    def regle(self, code: str) -> RegleSortie:
        for r in self.regles:
            if r.code == code:
                return r
        raise KeyError(code)


def _regle(donnees: dict, section: dict, rang: int) -> RegleSortie:
    types = donnees.get("types")
    exclus = set(donnees.get("types_exclus") or ())
    return RegleSortie(
        rang=rang,
        code=donnees["code"],
        libelle=donnees.get("libelle", donnees["code"]),
        categorie=donnees.get("categorie"),
        manuel=bool(donnees.get("manuel", False)),
        validation_commission=bool(donnees.get("validation_commission", False)),
        types=frozenset(
            t for t in (types if types is not None else TypeContrat.values) if t not in exclus
        ),
        types_exclus=frozenset(exclus) if types is None else frozenset(),
        meme_employeur=bool(donnees.get("meme_employeur", False)),
        meme_client=bool(donnees.get("meme_client", False)),
        temps_plein_ou_accord=bool(donnees.get("temps_plein_ou_accord", False)),
        heures_temps_plein=fraction(section.get("heures_temps_plein", HEURES_TEMPS_PLEIN)),
        heures_hebdo_min=fraction(donnees.get("heures_hebdo_min")),
        sauf_accord=bool(donnees.get("sauf_accord", False)),
        duree_contrat_min_mois=donnees.get("duree_contrat_min_mois"),
        sans_terme=bool(donnees.get("sans_terme", False)),
        age_min=donnees.get("age_min"),
        mesures=tuple((m, m.lire(donnees, section)) for m in mesures.MESURES if m.donnee(donnees)),
        fenetre_mois=donnees.get("fenetre_mois"),
    )


def lire(section: dict | None) -> Sortie:
    """La section `sortie` (déjà validée) lue ; absente ou vide : aucune règle."""
    section = section or {}
    incarceration = section.get("incarceration") or {}
    return Sortie(
        regles=tuple(_regle(r, section, i) for i, r in enumerate(section.get("regles") or [])),
        incarceration=Incarceration(
            seuil_mois=incarceration.get("seuil_mois", INCARCERATION_SEUIL_MOIS),
            au_seuil=incarceration.get("au_seuil", INCARCERATION_AU_SEUIL),
        ),
    )


def du_contenu(contenu: dict | None) -> Sortie:
    return lire((contenu or {}).get(CLE))


def de(plie, date: datetime.date | None = None) -> Sortie | None:
    """Les règles du référentiel en vigueur ; None sans référentiel en vigueur (une version
    sans section `sortie` rend des règles vides : le moteur dit alors « aucune règle »)."""
    contenu = contenu_en_vigueur(plie, date)
    return du_contenu(contenu) if contenu is not None else None
