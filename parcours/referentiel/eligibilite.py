"""Moteur d'éligibilité : l'arbre de critères d'un référentiel appliqué à une personne.

`evaluer(contenu_referentiel, personne)` est une fonction pure (ni base de données, ni horloge :
la date d'évaluation fait partie de la personne) et déterministe. Elle rend une `Evaluation` :
`eligible` (la valeur de la racine de l'arbre) et une ligne expliquée en français par nœud de
l'arbre, dans l'ordre du fichier (un groupe avant ses enfants). Tous les nœuds sont évalués et
rapportés, même quand le résultat d'un groupe est déjà acquis : la personne qui lit le résultat
voit toute l'explication. Format de l'arbre, de la personne et du résultat : docs/eligibilite.md.

Les durées (âge, mois sans emploi, ancienneté d'un statut) sont calculées en mois calendaires
révolus avec `dateutil.relativedelta`, dans la seule fonction `mois_revolus`.
"""

import datetime
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from parcours.referentiel.validation import (
    FREINS,
    INSEE,
    NIVEAU_MAX,
    NIVEAU_MIN,
    STATUTS,
    SUIVIS,
    Erreur,
    ReferentielInvalide,
    valider_eligibilite,
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
LIBELLES_GROUPE = {
    "tous": "Toutes les conditions",
    "un_parmi": "Au moins une des conditions",
    "non": "Exclusion",
}
LIBELLES_NIVEAU = {
    1: "sans diplôme",
    2: "sans diplôme",
    3: "CAP, BEP",
    4: "bac",
    5: "bac+2",
    6: "bac+3",
    7: "bac+5",
    8: "doctorat",
}


class PersonneInvalide(ValueError):
    """La situation fournie est mal formée ; `champ` la situe (ex. `statuts[1].code`)."""

    def __init__(self, champ: str, message: str):
        self.champ = champ
        self.message = message
        super().__init__(f"{champ}: {message}")


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


def mois_revolus(debut: datetime.date, fin: datetime.date) -> int:
    """Mois calendaires entiers écoulés de `debut` à `fin` (du 01/03/2023 au 01/03/2024 : 12)."""
    ecart = relativedelta(fin, debut)
    return ecart.years * 12 + ecart.months


def _jj_mm_aaaa(d: datetime.date) -> str:
    return d.strftime("%d/%m/%Y")


# --- La personne ------------------------------------------------------------------------------


def _date(valeur, champ, *, nulle=False) -> datetime.date | None:
    if valeur is None and nulle:
        return None
    if isinstance(valeur, datetime.date) and not isinstance(valeur, datetime.datetime):
        return valeur
    if not isinstance(valeur, str) or not DATE_ISO.match(valeur):
        attendu = "une date AAAA-MM-JJ" + (" ou null" if nulle else "")
        raise PersonneInvalide(champ, f"{attendu} est attendue, reçu {_montrer(valeur)}")
    try:
        return datetime.date.fromisoformat(valeur)
    except ValueError:
        raise PersonneInvalide(champ, f"date inexistante « {valeur} »") from None


def _pas_apres(d, date_eval, champ):
    if d is not None and d > date_eval:
        raise PersonneInvalide(
            champ,
            f"le {_jj_mm_aaaa(d)} est postérieur à la date d'évaluation "
            f"({_jj_mm_aaaa(date_eval)}) : une date passée est attendue",
        )


def _booleen(valeur, champ, *, nul=False):
    if valeur is None and nul:
        return None
    if not isinstance(valeur, bool):
        attendu = "true ou false" + (" (ou null)" if nul else "")
        raise PersonneInvalide(champ, f"{attendu} est attendu, reçu {_montrer(valeur)}")
    return valeur


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


def valider_personne(donnees) -> dict:
    """Vérifie la situation d'une personne et la rend normalisée (dates en `datetime.date`).

    Lève `PersonneInvalide(champ, message)` à la première erreur, dans l'ordre des champs.
    Les dates sont au format ISO AAAA-MM-JJ (ou déjà des `datetime.date`).
    """
    if not isinstance(donnees, dict):
        raise PersonneInvalide(
            "(racine)", f"un objet JSON {{…}} est attendu, reçu {_montrer(donnees)}"
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
            f"{_montrer(commune)} n'est pas un code INSEE de commune "
            '(5 caractères entre guillemets, ex. "47001")',
        )

    sans_emploi = _date(donnees["sans_emploi_depuis"], "sans_emploi_depuis", nulle=True)
    _pas_apres(sans_emploi, date_eval, "sans_emploi_depuis")

    statuts = donnees["statuts"]
    if not isinstance(statuts, list):
        raise PersonneInvalide("statuts", f"une liste est attendue, reçu {_montrer(statuts)}")
    normalises, vus = [], {}
    for i, statut in enumerate(statuts):
        champ = f"statuts[{i}]"
        if not isinstance(statut, dict):
            raise PersonneInvalide(
                champ, f'un objet {{"code": …, "depuis": …}} est attendu, reçu {_montrer(statut)}'
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
                f"code de statut inconnu {_montrer(code)} (codes connus : {', '.join(STATUTS)})",
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
        raise PersonneInvalide("freins", f"une liste est attendue, reçu {_montrer(freins)}")
    for i, frein in enumerate(freins):
        if not isinstance(frein, str) or frein not in FREINS:
            raise PersonneInvalide(
                f"freins[{i}]",
                f"code de frein inconnu {_montrer(frein)} (codes connus : {', '.join(FREINS)})",
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
            f"est attendu, reçu {_montrer(niveau)}",
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


# --- L'évaluation -----------------------------------------------------------------------------


class _Contexte:
    def __init__(self, contenu, personne):
        self.personne = personne
        self.date = personne["date"]
        self.nom_plie = contenu["plie"]["nom"]
        territoires = contenu["territoires"]
        self.plusieurs_territoires = len(territoires) > 1
        self.communes = {
            c["insee"]: (c["nom"], t["nom"]) for t in territoires for c in t["communes"]
        }
        self.age = mois_revolus(personne["date_naissance"], self.date) // 12
        self.statuts = {s["code"]: s["depuis"] for s in personne["statuts"]}


def evaluer(contenu_referentiel: dict, personne: dict) -> Evaluation:
    """Applique la section `eligibilite` d'un référentiel (déjà validé) à une personne.

    `personne` suit le format de docs/eligibilite.md (dates ISO ou `datetime.date`) ; elle est
    vérifiée par `valider_personne` (PersonneInvalide si elle est mal formée). Un référentiel
    sans section `eligibilite`, ou dont l'arbre est mal formé, lève ReferentielInvalide.
    """
    if "eligibilite" not in contenu_referentiel:
        raise ReferentielInvalide(
            "référentiel", [Erreur("eligibilite", "section absente : aucun critère d'éligibilité")]
        )
    erreurs = valider_eligibilite(contenu_referentiel["eligibilite"])
    if erreurs:
        raise ReferentielInvalide("référentiel", erreurs)
    contexte = _Contexte(contenu_referentiel, valider_personne(personne))
    criteres: list[Critere] = []
    eligible = _evaluer_noeud(contenu_referentiel["eligibilite"]["criteres"], contexte, criteres)
    return Evaluation(eligible=eligible, criteres=criteres)


def _evaluer_noeud(noeud, ctx: _Contexte, criteres: list[Critere], evaluateurs=None) -> bool:
    """Évalue le nœud et tous ses descendants ; ajoute les lignes dans l'ordre du fichier.
    `evaluateurs` : type de critère -> fonction (ceux du moteur par défaut ; la section
    `clauses` en ajoute)."""
    evaluateurs = _CRITERES if evaluateurs is None else evaluateurs
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
        valeur_enfant = _evaluer_noeud(enfant, ctx, criteres, evaluateurs)
        satisfait = not valeur_enfant
        detail = (
            f"satisfait : « {enfant['code']} » n'est pas satisfait"
            if satisfait
            else f"non satisfait : « {enfant['code']} » est satisfait"
        )
    else:
        valeurs = [(e["code"], _evaluer_noeud(e, ctx, criteres, evaluateurs)) for e in noeud[genre]]
        oui = [c for c, v in valeurs if v]
        non = [c for c, v in valeurs if not v]
        if genre == "tous":
            satisfait = not non
            detail = (
                f"satisfait : toutes les conditions sont remplies ({', '.join(oui)})"
                if satisfait
                else f"non satisfait : condition(s) non remplie(s) : {', '.join(non)}"
            )
        else:
            satisfait = bool(oui)
            detail = (
                f"satisfait par {', '.join(oui)}"
                if satisfait
                else f"non satisfait : aucune des conditions ({', '.join(non)}) n'est remplie"
            )
    criteres[position] = Critere(code, satisfait, f"{libelle or LIBELLES_GROUPE[genre]} — {detail}")
    return satisfait


def _residence(noeud, ctx):
    insee = ctx.personne["commune_insee"]
    if insee is None:
        return (
            False,
            f"Commune de résidence non renseignée : il faut résider dans une commune du "
            f"{ctx.nom_plie}",
        )
    if insee not in ctx.communes:
        return False, f"Réside dans la commune {insee}, qui n'est pas une commune du {ctx.nom_plie}"
    nom, territoire = ctx.communes[insee]
    suite = f" (territoire {territoire})" if ctx.plusieurs_territoires else ""
    return True, f"Réside à {nom} ({insee}), commune du {ctx.nom_plie}{suite}"


def _tranche(minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f"{minimum} à {maximum} ans"
    if minimum is not None:
        return f"{minimum} ans ou plus"
    return f"{maximum} ans ou moins"


def _age(noeud, ctx):
    minimum, maximum = noeud.get("min"), noeud.get("max")
    satisfait = (minimum is None or ctx.age >= minimum) and (maximum is None or ctx.age <= maximum)
    position = "dans" if satisfait else "hors de"
    return satisfait, (
        f"À {ctx.age} ans au {_jj_mm_aaaa(ctx.date)} : "
        f"{position} la tranche « {_tranche(minimum, maximum)} »"
    )


def _liste(libelles) -> str:
    return ", ".join(libelles)


def _statut(noeud, ctx):
    codes = noeud["statuts"]
    mois_min = noeud.get("depuis_mois_min")
    detenus = [c for c in codes if c in ctx.statuts]
    if not detenus:
        exiges = _liste(STATUTS[c] for c in codes)
        quoi = "Pas de statut" if len(codes) == 1 else "Aucun des statuts"
        return False, f"{quoi} {exiges}"
    morceaux, satisfait = [], False
    for code in detenus:
        depuis = ctx.statuts[code]
        texte = f"Statut {STATUTS[code]}"
        if depuis is not None:
            mois = mois_revolus(depuis, ctx.date)
            texte += f" depuis le {_jj_mm_aaaa(depuis)} ({mois} mois)"
        if mois_min is None:
            satisfait = True
        elif depuis is None:
            texte += (
                f", date de début non renseignée : ancienneté d'au moins {mois_min} mois "
                "non vérifiable"
            )
        elif mois >= mois_min:
            satisfait = True
            texte += f" : au moins {mois_min} mois exigés, satisfait"
        else:
            texte += f" : au moins {mois_min} mois exigés, non satisfait"
        morceaux.append(texte)
    return satisfait, " ; ".join(morceaux)


def _nom_duree(mois_min: int) -> str:
    if mois_min == 12:
        return "DELD (≥ 12 mois)"
    if mois_min == 24:
        return "DETLD (≥ 24 mois)"
    return f"chômage de longue durée (≥ {mois_min} mois)"


def _chomage(noeud, ctx):
    mois_min = noeud["mois_min"]
    depuis = ctx.personne["sans_emploi_depuis"]
    nom = _nom_duree(mois_min)
    if depuis is None:
        return False, f"En emploi (pas de date « sans emploi depuis ») : {nom} non satisfait"
    mois = mois_revolus(depuis, ctx.date)
    satisfait = mois >= mois_min
    verdict = "satisfait" if satisfait else "non satisfait"
    return satisfait, (
        f"Sans emploi depuis {mois} mois (depuis le {_jj_mm_aaaa(depuis)}) : {nom} {verdict}"
    )


def _rqth_valide(noeud, ctx):
    fin = ctx.personne["rqth_jusqu_au"]
    if fin is None:
        if "rqth" in ctx.statuts:
            return False, (
                "RQTH déclarée sans date de fin de validité (rqth_jusqu_au) : "
                "validité non vérifiable"
            )
        return False, "Pas de RQTH"
    if fin >= ctx.date:
        return True, (
            f"RQTH valable jusqu'au {_jj_mm_aaaa(fin)} : en cours de validité au "
            f"{_jj_mm_aaaa(ctx.date)}"
        )
    return False, f"RQTH valable jusqu'au {_jj_mm_aaaa(fin)} : expirée au {_jj_mm_aaaa(ctx.date)}"


def _niveau(noeud, ctx):
    maximum = noeud["max"]
    exige = f"niveau {maximum} ou moins exigé"
    niveau = ctx.personne["niveau_qualification"]
    if niveau is None:
        return False, f"Niveau de qualification non renseigné : {exige}, non vérifiable"
    satisfait = niveau <= maximum
    verdict = "satisfait" if satisfait else "non satisfait"
    return satisfait, (
        f"Niveau de qualification {niveau} ({LIBELLES_NIVEAU[niveau]}) : {exige}, {verdict}"
    )


def _bac(noeud, ctx):
    attendu = noeud["attendu"]
    bac = ctx.personne["bac"]
    exige = "le bac est exigé" if attendu else "l'absence de bac est exigée"
    if bac is None:
        return False, f"Bac non renseigné : {exige}, non vérifiable"
    etat = "Bac obtenu" if bac else "Bac non obtenu"
    satisfait = bac == attendu
    return satisfait, f"{etat} : {exige}, {'satisfait' if satisfait else 'non satisfait'}"


def _non_suivi(noeud, ctx):
    par = noeud["par"]
    suivi = ctx.personne[f"suivi_{par}"]
    if suivi:
        return False, f"Déjà suivi par {SUIVIS[par]} : exclusivité, non satisfait"
    return True, f"Non suivi par {SUIVIS[par]}"


def _via_clause(noeud, ctx):
    if ctx.personne["via_clause"]:
        return True, "Orienté au titre d'une clause sociale d'insertion"
    return False, "Pas orienté au titre d'une clause sociale d'insertion"


def _freins(noeud, ctx):
    parmi = noeud.get("parmi")
    au_moins = noeud.get("au_moins", 1)
    retenus = [f for f in ctx.personne["freins"] if parmi is None or f in parmi]
    pluriel = "s" if au_moins > 1 else ""
    exige = f"au moins {au_moins} frein{pluriel}"
    if parmi is not None:
        exige += f" parmi {_liste(FREINS[f] for f in parmi)}"
    exige += f" exigé{pluriel}"
    satisfait = len(retenus) >= au_moins
    verdict = "satisfait" if satisfait else "non satisfait"
    if not retenus:
        constat = "Aucun frein déclaré" if parmi is None else "Aucun de ces freins déclaré"
    else:
        constat = f"Frein{'s' if len(retenus) > 1 else ''} {_liste(FREINS[f] for f in retenus)}"
    return satisfait, f"{constat} : {exige}, {verdict}"


_CRITERES = {
    "residence": _residence,
    "age": _age,
    "statut": _statut,
    "chomage_longue_duree": _chomage,
    "rqth_valide": _rqth_valide,
    "niveau_qualification_max": _niveau,
    "bac": _bac,
    "non_suivi": _non_suivi,
    "via_clause": _via_clause,
    "freins": _freins,
}
