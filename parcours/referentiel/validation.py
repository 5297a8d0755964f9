"""Validation d'un fichier de référentiel (format décrit dans docs/referentiel.md).

Chaque erreur nomme le fichier, le chemin dans le fichier (`territoires[0].communes[3].insee`)
et le problème, en français. Rien n'est enregistré tant qu'une erreur subsiste.

Ce module vérifie l'en-tête (`format`, `plie`, `version`) puis confie chaque section à son
module (`SECTIONS`, dans l'ordre du fichier). Il importe les sections ; les sections n'importent
que le noyau (noyau.py), d'où viennent aussi `Erreur` et `ReferentielInvalide`.
"""

from parcours.referentiel.noyau import (
    ABSENT,
    INSEE,
    SLUG,
    Erreur,
    ReferentielInvalide,
    Verificateur,
)
from parcours.referentiel.sections import (
    clauses,
    commissions,
    conservation,
    delais,
    eligibilite,
    engagement,
    etapes,
    objectifs,
    portefeuille,
    sortie,
    suivi,
    suivi_emploi,
    territoires,
)

__all__ = ["INSEE", "SECTIONS", "Erreur", "ReferentielInvalide", "valider"]

FORMATS_CONNUS = {1}
ENTETE = ("format", "plie", "version")
# Les sections, dans l'ordre où leurs erreurs sont rapportées.
SECTIONS = (
    territoires,
    commissions,
    portefeuille,
    objectifs,
    eligibilite,
    engagement,
    etapes,
    suivi,
    suivi_emploi,
    delais,
    clauses,
    sortie,
    conservation,
)


def valider(
    contenu, fichier: str, code_attendu: str | None = None, attendu="au nom du fichier"
) -> None:
    """Lève ReferentielInvalide avec toutes les erreurs trouvées. `attendu` dit d'où vient
    `code_attendu` dans le message (le nom du fichier, le PLIE administré…)."""
    v = Verificateur()
    if not v.objet(
        contenu,
        "",
        (*ENTETE, *(s.CLE for s in SECTIONS if s.OBLIGATOIRE)),
        tuple(s.CLE for s in SECTIONS if not s.OBLIGATOIRE),
    ):
        raise ReferentielInvalide(fichier, v.erreurs)
    _entete(v, contenu, code_attendu, attendu)
    for section in SECTIONS:
        if section.CLE in contenu:
            section.valider(v, contenu[section.CLE])
    if v.erreurs:
        raise ReferentielInvalide(fichier, v.erreurs)


def _entete(v: Verificateur, contenu, code_attendu, attendu):
    if "format" in contenu and contenu["format"] not in FORMATS_CONNUS:
        v.erreur("format", f"format inconnu (attendu : {', '.join(map(str, FORMATS_CONNUS))})")

    plie = contenu.get("plie", ABSENT)
    if plie is not ABSENT and v.objet(plie, "plie", ("code", "nom"), ("structure_porteuse",)):
        v.texte(
            plie.get("code", ABSENT), "plie.code", SLUG, "code en minuscules, chiffres et tirets"
        )
        code = plie.get("code", ABSENT)
        if code_attendu and isinstance(code, str) and code != code_attendu:
            v.erreur(
                "plie.code",
                f"« {plie.get('code')} » ne correspond pas {attendu} ({code_attendu})",
            )
        v.texte(plie.get("nom", ABSENT), "plie.nom")

    version = contenu.get("version", ABSENT)
    if version is not ABSENT and v.objet(version, "version", ("date_effet",), ("libelle",)):
        v.date(version.get("date_effet", ABSENT), "version.date_effet")
