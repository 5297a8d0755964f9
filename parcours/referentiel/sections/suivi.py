"""Section facultative `suivi` : les délais du suivi des parcours (docs/accompagnement.md).
Absente, ou pour une clé absente : les valeurs par défaut ci-dessous."""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import ABSENT, Verificateur, contenu_en_vigueur
from parcours.referentiel.sections.etapes import LIBELLE_MAX, code, texte

CLE = "suivi"
OBLIGATOIRE = False
# Valeurs par défaut (seeds 001:L3798, 002:L351, 002:L466, 001:L500, 001:L5832, 002:L391,
# 001:L7938).
DEFAUTS = {
    "entretien_physique_mois": 1,
    "sans_contact_mois": 2,
    "sans_etape_mois": 6,
    "alertes_duree_parcours_mois": [12, 24],
    "suspension_mois": 3,
    "rqth_echeance_jours": 90,
    # Absence injustifiée : un courrier la semaine de l'absence, un appel la semaine suivante.
    "absence_injustifiee": [
        {"action": "courrier", "libelle": "Envoyer un courrier", "delai_jours": 5},
        {"action": "appel", "libelle": "Appeler la personne", "delai_jours": 12},
    ],
    "fse_sortie_semaines": 4,
}
DUREES = (
    "entretien_physique_mois",
    "sans_contact_mois",
    "sans_etape_mois",
    "suspension_mois",
    "rqth_echeance_jours",
    "fse_sortie_semaines",
)


@dataclass(frozen=True)
class RelanceAbsence:
    action: str
    libelle: str
    delai_jours: int


@dataclass(frozen=True)
class DelaisSuivi:
    """Les délais du suivi d'un PLIE (section `suivi` du référentiel, valeurs par défaut sinon)."""

    entretien_physique_mois: int
    sans_contact_mois: int
    sans_etape_mois: int
    alertes_duree_parcours_mois: tuple[int, ...]
    suspension_mois: int
    rqth_echeance_jours: int
    absence_injustifiee: tuple[RelanceAbsence, ...]
    fse_sortie_semaines: int


def du_contenu(contenu: dict | None) -> DelaisSuivi:
    valeurs = {**DEFAUTS, **((contenu or {}).get(CLE) or {})}
    return DelaisSuivi(
        entretien_physique_mois=valeurs["entretien_physique_mois"],
        sans_contact_mois=valeurs["sans_contact_mois"],
        sans_etape_mois=valeurs["sans_etape_mois"],
        alertes_duree_parcours_mois=tuple(valeurs["alertes_duree_parcours_mois"]),
        suspension_mois=valeurs["suspension_mois"],
        rqth_echeance_jours=valeurs["rqth_echeance_jours"],
        absence_injustifiee=tuple(
            RelanceAbsence(r["action"], r["libelle"], r["delai_jours"])
            for r in valeurs["absence_injustifiee"]
        ),
        fse_sortie_semaines=valeurs["fse_sortie_semaines"],
    )


def de(plie, date: datetime.date | None = None) -> DelaisSuivi:
    """Les délais du suivi en vigueur (aujourd'hui par défaut) ; `plie` : un PLIE ou son id."""
    return du_contenu(contenu_en_vigueur(plie, date))


def valider(v: Verificateur, section) -> None:
    """Délais du suivi, tous facultatifs."""
    if not v.objet(section, "suivi", (), tuple(DEFAUTS)):
        return
    for cle in DUREES:
        if cle in section:
            v.entier(section[cle], f"suivi.{cle}", minimum=1)
    alertes = section.get("alertes_duree_parcours_mois", ABSENT)
    if alertes is not ABSENT:
        _alertes(v, alertes)
    relances = section.get("absence_injustifiee", ABSENT)
    if relances is ABSENT:
        return
    if not isinstance(relances, list):
        v.erreur("suivi.absence_injustifiee", "une liste de relances est attendue (ou [])")
        return
    actions = {}
    for i, relance in enumerate(relances):
        chemin = f"suivi.absence_injustifiee[{i}]"
        if not v.objet(relance, chemin, ("action", "libelle", "delai_jours")):
            continue
        code(v, relance.get("action", ABSENT), f"{chemin}.action", actions, "courrier")
        texte(v, relance.get("libelle", ABSENT), f"{chemin}.libelle", LIBELLE_MAX)
        v.entier(relance.get("delai_jours", ABSENT), f"{chemin}.delai_jours", minimum=0)


def _alertes(v: Verificateur, alertes):
    if not isinstance(alertes, list):
        v.erreur("suivi.alertes_duree_parcours_mois", "une liste de durées en mois est attendue")
        return
    for i, mois in enumerate(alertes):
        v.entier(mois, f"suivi.alertes_duree_parcours_mois[{i}]", minimum=1)
    entiers = [m for m in alertes if isinstance(m, int) and not isinstance(m, bool)]
    if entiers == alertes and entiers != sorted(set(entiers)):
        v.erreur(
            "suivi.alertes_duree_parcours_mois",
            "durées attendues dans l'ordre croissant, sans doublon (ex. [12, 24])",
        )
