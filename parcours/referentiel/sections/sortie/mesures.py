"""Les mesures d'une règle de sortie positive (docs/sortie.md, « Mesures ») : ce qu'une règle
compte (durée dans le poste, heures, semaines…) et le jour où c'est atteint.

Une mesure est une classe de ce module : sa clé dans la règle, la vérification de sa valeur (et
des modalités qui la concernent), sa lecture, sa part de l'horizon des prévisions et son calcul
sur les contrats comptés. Le moteur (parcours/emploi/qualification/) choisit les contrats et la
règle ; il calcule chaque mesure donnée par la règle avec `MESURES`, sans la connaître.

**Ajouter une mesure** : une classe ici, inscrite dans `MESURES` (à sa place : à égalité de
date, la première mesure de la liste explique la règle remplie), une règle qui l'emploie dans un
fichier `referentiels/*.yaml` et son test (docs/referentiel.md, « Ajouter une section ou une
mesure »).
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from parcours.referentiel import calendrier
from parcours.referentiel.noyau import Verificateur
from parcours.referentiel.sections.sortie.calcul import (
    Cumul,
    Resultat,
    cle_contrat,
    cumuler,
    date_fr,
    embauche,
    fraction,
    jours_fr,
    nombre,
    terme_du_contrat,
)

# Valeurs par défaut des paramètres de la section `sortie` qui règlent les mesures.
JOURS_PAR_MOIS = 30
TOLERANCE_INTERRUPTION_JOURS = 0
FENETRE_MAX_MOIS = 120
# Modalités : des clés de règle qui précisent une mesure, sans en être une.
MODALITES = ("sans_interruption", "tolerance_interruption_jours", "fenetre_mois")


class Mesure:
    """Une mesure : `cle` dans la règle ; les méthodes reçoivent la règle telle que dans le
    fichier (`verifier`, `lire`) ou lue (`mesurer` : la `RegleSortie`, regles.py)."""

    cle = ""

    def donnee(self, regle: dict) -> bool:
        """La règle emploie-t-elle cette mesure ? (`des_le_debut: false` vaut absence)"""
        return self.cle in regle and regle[self.cle] is not False

    def verifier(self, v: Verificateur, valeur, chemin: str) -> None:
        raise NotImplementedError

    def lire(self, regle: dict, section: dict):
        """La valeur que `mesurer` recevra (la règle et la section sont déjà validées)."""
        return regle[self.cle]

    def horizon_mois(self, valeur) -> int:
        """Mois à ajouter à l'horizon des prévisions (docs/sortie.md, « Calendrier »)."""
        return 0

    def mesurer(self, valeur, regle, periodes, date: datetime.date, horizon, quoi) -> Resultat:
        """La mesure sur un groupe de contrats comptés (`periodes`, calcul.Periode) ; `quoi` :
        ce qu'ils sont, pour l'explication (« CDI chez « x » »)."""
        raise NotImplementedError


class DesLeDebut(Mesure):
    """`des_le_debut: true` : remplie le jour du début du premier contrat compté."""

    cle = "des_le_debut"

    def verifier(self, v, valeur, chemin):
        v.booleen(valeur, chemin)

    def mesurer(self, valeur, regle, periodes, date, horizon, quoi):
        p = min(periodes, key=lambda p: cle_contrat(p.contrat))
        duree = (
            "sans date de fin" if p.contrat.fin is None else f"jusqu'au {date_fr(p.contrat.fin)}"
        )
        return Resultat(
            premier=p.debut,
            progres=Fraction(1 if p.debut <= date else 0),
            rempli=f"{embauche(p.contrat)} ({duree})",
            etat=f"{embauche(p.contrat)} ({duree}), à venir",
        )


class ALaFin(Mesure):
    """`a_la_fin: true` : remplie le jour de la fin d'un contrat compté (fin de formation)."""

    cle = "a_la_fin"

    def verifier(self, v, valeur, chemin):
        v.booleen(valeur, chemin)

    def mesurer(self, valeur, regle, periodes, date, horizon, quoi):
        finies = sorted((p for p in periodes if p.contrat.fin), key=lambda p: p.fin)
        premiere = finies[0] if finies else None
        progres, etat = Fraction(0), None
        for p in periodes:
            if p.debut > date:
                continue
            if p.contrat.fin is None:
                etat = etat or f"{embauche(p.contrat)}, sans date de fin connue"
                continue
            avance = Fraction(
                calendrier.jours(p.debut, min(p.fin, date)), calendrier.jours(p.debut, p.fin)
            )
            if avance > progres or etat is None:
                progres = max(progres, avance)
                etat = f"{embauche(p.contrat)}, {terme_du_contrat(p.contrat, p.fin)} (prévue)"
        if etat is None:
            etat = f"{embauche(periodes[0].contrat)} (à venir)"
        return Resultat(
            premier=premiere.fin if premiere else None,
            progres=progres,
            rempli=terme_du_contrat(premiere.contrat, premiere.fin) if premiere else "",
            etat=etat,
        )


@dataclass(frozen=True)
class Duree:
    mois: int
    sans_interruption: bool
    tolerance: int  # jours d'interruption tolérés entre deux contrats
    jours_par_mois: int  # un mois cumulé (sans_interruption: false)


class DureeMin(Mesure):
    """`duree_min_mois: N` : N mois continus dans le poste (contrats enchaînés fusionnés) ou,
    avec `sans_interruption: false`, N × `jours_par_mois` jours couverts (sur `fenetre_mois`)."""

    cle = "duree_min_mois"

    def verifier(self, v, valeur, chemin):
        v.entier(valeur, chemin, minimum=1)

    def lire(self, regle, section):
        return Duree(
            mois=regle[self.cle],
            sans_interruption=bool(regle.get("sans_interruption", True)),
            tolerance=regle.get(
                "tolerance_interruption_jours",
                section.get("tolerance_interruption_jours", TOLERANCE_INTERRUPTION_JOURS),
            ),
            jours_par_mois=section.get("jours_par_mois", JOURS_PAR_MOIS),
        )

    def horizon_mois(self, valeur):
        return 2 * valeur.mois

    def mesurer(self, valeur, regle, periodes, date, horizon, quoi):
        if valeur.sans_interruption:
            return _duree_continue(periodes, date, valeur.mois, valeur.tolerance, quoi)
        return _mois_cumules(valeur, regle, periodes, date, horizon, quoi)


class SemainesMin(Mesure):
    """`semaines_min: N` + `fenetre_mois` : N × 7 jours couverts sur les derniers mois."""

    cle = "semaines_min"

    def verifier(self, v, valeur, chemin):
        v.nombre(valeur, chemin, maximum=520)

    def lire(self, regle, section):
        return fraction(regle[self.cle])

    def mesurer(self, valeur, regle, periodes, date, horizon, quoi):
        seuil = valeur * 7
        return cumuler(
            Cumul(periodes, horizon, "jours"),
            date,
            seuil,
            regle.fenetre_mois,
            f"{nombre(valeur)} semaines ({nombre(seuil)} jours) de {quoi}{_sur(regle)}",
        )


class HeuresMin(Mesure):
    """`heures_min: N` + `fenetre_mois` : N heures travaillées sur les derniers mois."""

    cle = "heures_min"

    def verifier(self, v, valeur, chemin):
        v.nombre(valeur, chemin)

    def lire(self, regle, section):
        return fraction(regle[self.cle])

    def mesurer(self, valeur, regle, periodes, date, horizon, quoi):
        return cumuler(
            Cumul(periodes, horizon, "heures"),
            date,
            valeur,
            regle.fenetre_mois,
            f"{nombre(valeur)} h de {quoi}{_sur(regle)}",
        )


# Dans l'ordre du calcul : à égalité de date, la première mesure remplie explique la règle.
# Lue à chaque usage (validation, lecture, calcul) : rien d'autre n'énumère les mesures.
MESURES = (DesLeDebut(), ALaFin(), DureeMin(), SemainesMin(), HeuresMin())


def cles() -> tuple[str, ...]:
    return tuple(m.cle for m in MESURES)


def _sur(regle) -> str:
    return f" sur {regle.fenetre_mois} mois glissants" if regle.fenetre_mois else ""


def _mois_cumules(valeur: Duree, regle, periodes, date, horizon, quoi) -> Resultat:
    """N mois cumulés : N × `jours_par_mois` jours couverts (sur `fenetre` mois glissants), et
    jamais avant N mois comptés de date à date sur les mêmes périodes continues
    (calendrier.mois_couverts) : un CDI du 08/01/2024 n'a pas ses 6 mois cumulés le 05/07/2024
    (180e jour) mais le 07/07/2024, comme ses 6 mois dans le poste."""
    seuil, fenetre = valeur.mois * valeur.jours_par_mois, regle.fenetre_mois
    libelle = f"{valeur.mois} mois cumulés ({seuil} jours) de {quoi}{_sur(regle)}"
    cumul = Cumul(periodes, horizon, "jours")
    en_jours = cumuler(cumul, date, Fraction(seuil), fenetre, libelle)
    continues = calendrier.enchainer((p.debut, p.fin) for p in periodes)

    def mois_au(jour):
        de = calendrier.debut_fenetre(jour, fenetre) if fenetre else cumul.origine
        return calendrier.mois_couverts(continues, de, jour)

    premier = None
    if en_jours.premier:
        # Les mois de date à date ne grandissent qu'un jour couvert : seuls ceux-là sont essayés.
        for i in range((en_jours.premier - cumul.origine).days, cumul.n):
            if (
                cumul.par_jour[i] > 0
                and cumul.valeur(i, fenetre) >= seuil
                and mois_au(cumul.jour(i)) >= valeur.mois
            ):
                premier = cumul.jour(i)
                break
    faits = mois_au(date)
    etat = en_jours.etat
    if Fraction(faits, valeur.mois) < en_jours.progres:
        jours_faits = cumul.valeur((date - cumul.origine).days, fenetre)
        lien = ", mais" if jours_faits >= seuil else " et"
        etat = (
            f"{libelle} : {jours_fr(jours_faits)} au {date_fr(date)}{lien} "
            f"{nombre(faits)} mois de date à date sur ces périodes ({valeur.mois} requis)"
        )
    rempli = ""
    if premier:
        rempli = f"{libelle}, atteint le {date_fr(premier)}"
        if premier != en_jours.premier:
            rempli = (
                f"{libelle} et {valeur.mois} mois de date à date, atteints le {date_fr(premier)}"
            )
    return Resultat(
        premier=premier,
        progres=min(en_jours.progres, Fraction(faits, valeur.mois)),
        rempli=rempli,
        etat=etat,
    )


def _duree_continue(periodes, date, mois, tolerance, quoi) -> Resultat:
    libelle = f"{mois} mois sans interruption de {quoi}"
    continues = calendrier.enchainer(((p.debut, p.fin) for p in periodes), tolerance)
    remplies = [
        (calendrier.terme(debut, mois), debut)
        for debut, fin in continues
        if calendrier.terme(debut, mois) <= fin
    ]
    premier = min(remplies, default=None)
    progres, etat = Fraction(0), f"{libelle} : aucun contrat commencé au {date_fr(date)}"
    a_venir = [debut for debut, _ in continues if debut > date]
    if a_venir:
        etat = f"{libelle} : contrat à venir, à partir du {date_fr(min(a_venir))}"
    for debut, fin in continues:
        if debut > date:
            continue
        faits = calendrier.jours(debut, min(fin, date))
        requis = calendrier.jours(debut, calendrier.terme(debut, mois))
        if Fraction(faits, requis) > progres or progres == 0:
            progres = Fraction(faits, requis)
            if fin >= date:
                etat = (
                    f"{libelle} : {jours_fr(faits)} depuis le {date_fr(debut)} au "
                    f"{date_fr(date)}, il manque {jours_fr(max(requis - faits, 0))}"
                )
            else:
                etat = (
                    f"{libelle} : {jours_fr(faits)} du {date_fr(debut)} au {date_fr(fin)} "
                    f"(interrompu), sur {requis} jours requis"
                )
    return Resultat(
        premier=premier[0] if premier else None,
        progres=progres,
        rempli=(
            f"{libelle} depuis le {date_fr(premier[1])}, atteint le {date_fr(premier[0])}"
            if premier
            else ""
        ),
        etat=etat,
    )


# --- Vérification des mesures d'une règle ------------------------------------------------------


def donnees(regle: dict) -> list[str]:
    """Les clés des mesures que la règle emploie."""
    return [m.cle for m in MESURES if m.donnee(regle)]


def verifier(v: Verificateur, regle: dict, chemin: str) -> None:
    """Les valeurs des mesures et de leurs modalités (types, bornes)."""
    for mesure in MESURES:
        if mesure.cle in regle:
            mesure.verifier(v, regle[mesure.cle], f"{chemin}.{mesure.cle}")
    if "sans_interruption" in regle:
        v.booleen(regle["sans_interruption"], f"{chemin}.sans_interruption")
    if "fenetre_mois" in regle:
        v.entier(regle["fenetre_mois"], f"{chemin}.fenetre_mois", 1, FENETRE_MAX_MOIS)
    if "tolerance_interruption_jours" in regle:
        v.entier(
            regle["tolerance_interruption_jours"], f"{chemin}.tolerance_interruption_jours", 0, 31
        )


def coherence(v: Verificateur, regle: dict, chemin: str) -> None:
    """Les modalités sans effet pour les mesures données : refusées plutôt qu'ignorées."""
    continu = regle.get("sans_interruption", True) is not False
    if "sans_interruption" in regle and "duree_min_mois" not in regle:
        v.erreur(f"{chemin}.sans_interruption", "n'a de sens qu'avec duree_min_mois")
    if "tolerance_interruption_jours" in regle and not ("duree_min_mois" in regle and continu):
        v.erreur(
            f"{chemin}.tolerance_interruption_jours",
            "n'a de sens qu'avec duree_min_mois sans interruption",
        )
    fenetre_utile = (
        "heures_min" in regle
        or "semaines_min" in regle
        or ("duree_min_mois" in regle and not continu)
    )
    if "fenetre_mois" in regle and not fenetre_utile:
        v.erreur(
            f"{chemin}.fenetre_mois",
            "n'a de sens qu'avec heures_min, semaines_min ou duree_min_mois cumulée "
            "(sans_interruption: false)",
        )
    for cle in ("heures_min", "semaines_min"):
        if cle in regle and "fenetre_mois" not in regle:
            v.erreur(f"{chemin}.fenetre_mois", f"clé obligatoire avec {cle} (en mois glissants)")
