"""La personne évaluée par l'arbre de critères (format d'entrée de docs/eligibilite.md) :
`valider_personne` la vérifie champ par champ et la rend normalisée, dates en `datetime.date`."""

import datetime
import re

from parcours.referentiel.noyau import INSEE, montrer
from parcours.referentiel.sections.eligibilite.vocabulaire import (
    FREINS,
    NIVEAU_MAX,
    NIVEAU_MIN,
    STATUTS,
)

# Les champs de la personne, tous obligatoires (null, [] ou false quand ils ne s'appliquent pas).
CHAMPS_PERSONNE = (
    "date",
    "date_naissance",
    "commune_insee",
    "sans_emploi_depuis",
    "statuts",
    "freins",
    "niveau_qualification",
    "bac",
    "rqth_jusqu_au",
    "suivi_mission_locale",
    "suivi_cap_emploi",
    "via_clause",
)
DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PersonneInvalide(ValueError):
    """La situation fournie est mal formée ; `champ` la situe (ex. `statuts[1].code`)."""

    def __init__(self, champ: str, message: str):
        self.champ = champ
        self.message = message
        super().__init__(f"{champ}: {message}")


def jj_mm_aaaa(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


def _date(valeur, champ, *, nulle=False) -> datetime.date | None:
    if valeur is None and nulle:
        return None
    if isinstance(valeur, datetime.date) and not isinstance(valeur, datetime.datetime):
        return valeur
    if not isinstance(valeur, str) or not DATE_ISO.match(valeur):
        attendu = "une date AAAA-MM-JJ" + (" ou null" if nulle else "")
        raise PersonneInvalide(champ, f"{attendu} est attendue, reçu {montrer(valeur)}")
    try:
        return datetime.date.fromisoformat(valeur)
    except ValueError:
        raise PersonneInvalide(champ, f"date inexistante « {valeur} »") from None


def _pas_apres(d, date_eval, champ):
    if d is not None and d > date_eval:
        raise PersonneInvalide(
            champ,
            f"le {jj_mm_aaaa(d)} est postérieur à la date d'évaluation "
            f"({jj_mm_aaaa(date_eval)}) : une date passée est attendue",
        )


def _booleen(valeur, champ, *, nul=False):
    if valeur is None and nul:
        return None
    if not isinstance(valeur, bool):
        attendu = "true ou false" + (" (ou null)" if nul else "")
        raise PersonneInvalide(champ, f"{attendu} est attendu, reçu {montrer(valeur)}")
    return valeur


def valider_personne(donnees) -> dict:
    """Vérifie la situation d'une personne et la rend normalisée (dates en `datetime.date`).

    Lève `PersonneInvalide(champ, message)` à la première erreur, dans l'ordre des champs.
    Les dates sont au format ISO AAAA-MM-JJ (ou déjà des `datetime.date`).
    """
    if not isinstance(donnees, dict):
        raise PersonneInvalide(
            "(racine)", f"un objet JSON {{…}} est attendu, reçu {montrer(donnees)}"
        )
    for champ in CHAMPS_PERSONNE:
        if champ not in donnees:
            raise PersonneInvalide(champ, "champ obligatoire absent")
    for champ in donnees:
        if champ not in CHAMPS_PERSONNE:
            raise PersonneInvalide(
                str(champ), f"champ inconnu (champs attendus : {', '.join(CHAMPS_PERSONNE)})"
            )

    date_eval = _date(donnees["date"], "date")
    naissance = _date(donnees["date_naissance"], "date_naissance")
    _pas_apres(naissance, date_eval, "date_naissance")

    commune = donnees["commune_insee"]
    if commune == "":
        commune = None
    if commune is not None and (not isinstance(commune, str) or not INSEE.match(commune)):
        raise PersonneInvalide(
            "commune_insee",
            f"{montrer(commune)} n'est pas un code INSEE de commune "
            '(5 caractères entre guillemets, ex. "47001")',
        )

    sans_emploi = _date(donnees["sans_emploi_depuis"], "sans_emploi_depuis", nulle=True)
    _pas_apres(sans_emploi, date_eval, "sans_emploi_depuis")

    statuts = donnees["statuts"]
    if not isinstance(statuts, list):
        raise PersonneInvalide("statuts", f"une liste est attendue, reçu {montrer(statuts)}")
    normalises, vus = [], {}
    for i, statut in enumerate(statuts):
        champ = f"statuts[{i}]"
        if not isinstance(statut, dict):
            raise PersonneInvalide(
                champ, f'un objet {{"code": …, "depuis": …}} est attendu, reçu {montrer(statut)}'
            )
        if "code" not in statut:
            raise PersonneInvalide(f"{champ}.code", "champ obligatoire absent")
        for cle in statut:
            if cle not in ("code", "depuis"):
                raise PersonneInvalide(f"{champ}.{cle}", "champ inconnu (attendus : code, depuis)")
        code = statut["code"]
        if not isinstance(code, str) or code not in STATUTS:
            raise PersonneInvalide(
                f"{champ}.code",
                f"code de statut inconnu {montrer(code)} (codes connus : {', '.join(STATUTS)})",
            )
        if code in vus:
            raise PersonneInvalide(
                f"{champ}.code", f"statut « {code} » déjà donné en statuts[{vus[code]}]"
            )
        vus[code] = i
        depuis = _date(statut.get("depuis"), f"{champ}.depuis", nulle=True)
        _pas_apres(depuis, date_eval, f"{champ}.depuis")
        normalises.append({"code": code, "depuis": depuis})

    freins = donnees["freins"]
    if not isinstance(freins, list):
        raise PersonneInvalide("freins", f"une liste est attendue, reçu {montrer(freins)}")
    for i, frein in enumerate(freins):
        if not isinstance(frein, str) or frein not in FREINS:
            raise PersonneInvalide(
                f"freins[{i}]",
                f"code de frein inconnu {montrer(frein)} (codes connus : {', '.join(FREINS)})",
            )
        if freins.index(frein) != i:
            raise PersonneInvalide(
                f"freins[{i}]", f"frein « {frein} » déjà donné en freins[{freins.index(frein)}]"
            )

    niveau = donnees["niveau_qualification"]
    if niveau is not None and (
        isinstance(niveau, bool)
        or not isinstance(niveau, int)
        or not NIVEAU_MIN <= niveau <= NIVEAU_MAX
    ):
        raise PersonneInvalide(
            "niveau_qualification",
            f"un niveau entier de {NIVEAU_MIN} à {NIVEAU_MAX} (3 = CAP/BEP, 4 = bac…) ou null "
            f"est attendu, reçu {montrer(niveau)}",
        )

    return {
        "date": date_eval,
        "date_naissance": naissance,
        "commune_insee": commune,
        "sans_emploi_depuis": sans_emploi,
        "statuts": normalises,
        "freins": list(freins),
        "niveau_qualification": niveau,
        "bac": _booleen(donnees["bac"], "bac", nul=True),
        "rqth_jusqu_au": _date(donnees["rqth_jusqu_au"], "rqth_jusqu_au", nulle=True),
        "suivi_mission_locale": _booleen(donnees["suivi_mission_locale"], "suivi_mission_locale"),
        "suivi_cap_emploi": _booleen(donnees["suivi_cap_emploi"], "suivi_cap_emploi"),
        "via_clause": _booleen(donnees["via_clause"], "via_clause"),
    }
