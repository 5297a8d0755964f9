"""Les critères de l'arbre d'éligibilité, un par type : chacun dit s'il est satisfait et
l'explique en français (« À 27 ans au 01/03/2024 : dans la tranche « 26 ans ou plus » »), et
porte un nom en français (`NOMS`) pour les lignes des groupes quand le nœud n'a pas de libellé :
un écran ne montre jamais le code d'un critère (« deld » → « DELD (≥ 12 mois) »).

Chaque fonction reçoit le nœud (ses paramètres validés par arbre.py) et le contexte de
l'évaluation (moteur.Contexte) ; elle rend `(satisfait, explication)`. `CRITERES` les range par
type ; la section `clauses` y ajoute les siens.
"""

from parcours.referentiel.calendrier import mois_revolus
from parcours.referentiel.sections.eligibilite.personne import jj_mm_aaaa
from parcours.referentiel.sections.eligibilite.vocabulaire import (
    FREINS,
    LIBELLES_NIVEAU,
    STATUTS,
    SUIVIS,
)


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
        f"À {ctx.age} ans au {jj_mm_aaaa(ctx.date)} : "
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
            texte += f" depuis le {jj_mm_aaaa(depuis)} ({mois} mois)"
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
        f"Sans emploi depuis {mois} mois (depuis le {jj_mm_aaaa(depuis)}) : {nom} {verdict}"
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
            f"RQTH valable jusqu'au {jj_mm_aaaa(fin)} : en cours de validité au "
            f"{jj_mm_aaaa(ctx.date)}"
        )
    return False, f"RQTH valable jusqu'au {jj_mm_aaaa(fin)} : expirée au {jj_mm_aaaa(ctx.date)}"


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


CRITERES = {
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


# --- Le nom d'un critère sans libellé (lignes des groupes) ---------------------------------------


def _nom_statut(noeud) -> str:
    nom = "statut " + " ou ".join(STATUTS[c] for c in noeud["statuts"])
    if noeud.get("depuis_mois_min"):
        nom += f" depuis au moins {noeud['depuis_mois_min']} mois"
    return nom


def _nom_freins(noeud) -> str:
    au_moins = noeud.get("au_moins", 1)
    nom = f"au moins {au_moins} frein{'s' if au_moins > 1 else ''}"
    if noeud.get("parmi") is not None:
        nom += " parmi " + _liste(FREINS[f] for f in noeud["parmi"])
    return nom


NOMS = {
    "residence": lambda n: "résidence dans une commune du PLIE",
    "age": lambda n: f"âge : {_tranche(n.get('min'), n.get('max'))}",
    "statut": _nom_statut,
    "chomage_longue_duree": lambda n: _nom_duree(n["mois_min"]),
    "rqth_valide": lambda n: "RQTH en cours de validité",
    "niveau_qualification_max": lambda n: (
        f"niveau de qualification {n['max']} ({LIBELLES_NIVEAU[n['max']]}) ou moins"
    ),
    "bac": lambda n: "bac obtenu" if n["attendu"] else "sans le bac",
    "non_suivi": lambda n: f"pas suivi par {SUIVIS[n['par']]}",
    "via_clause": lambda n: "orientation au titre d'une clause sociale",
    "freins": _nom_freins,
}
