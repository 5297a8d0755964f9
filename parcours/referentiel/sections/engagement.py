"""Section facultative `engagement` : les signataires du contrat d'engagement réciproque et les
pièces justificatives d'entrée (docs/engagement.md). Absente : participant et référent signent,
aucune pièce n'est exigée."""

import datetime
from dataclasses import dataclass

from parcours.referentiel.noyau import ABSENT, CODE, Verificateur, contenu_en_vigueur

CLE = "engagement"
OBLIGATOIRE = False
# Signataires du contrat : le participant et le référent toujours, l'équipe d'animation quand le
# PLIE le prévoit (dans l'ordre de `Signataire`, parcours/accompagnement/models/engagement.py).
SIGNATAIRES = {
    "participant": "le participant",
    "referent": "le référent",
    "animation": "l'équipe d'animation",
}
SIGNATAIRES_OBLIGATOIRES = ("participant", "referent")


@dataclass(frozen=True)
class PieceAttendue:
    code: str
    libelle: str
    obligatoire: bool


@dataclass(frozen=True)
class ReglesEngagement:
    signataires: tuple[str, ...]
    pieces: tuple[PieceAttendue, ...]

    def piece(self, code: str) -> PieceAttendue | None:
        return next((p for p in self.pieces if p.code == code), None)


PAR_DEFAUT = ReglesEngagement(signataires=SIGNATAIRES_OBLIGATOIRES, pieces=())


def du_contenu(contenu: dict | None) -> ReglesEngagement:
    section = (contenu or {}).get(CLE)
    if not section:
        return PAR_DEFAUT
    return ReglesEngagement(
        signataires=tuple(s for s in SIGNATAIRES if s in section["signataires"]),
        pieces=tuple(
            PieceAttendue(p["code"], p["libelle"], p["obligatoire"])
            for p in section.get("pieces", [])
        ),
    )


def de(plie, date: datetime.date | None = None) -> ReglesEngagement:
    """Les règles du référentiel en vigueur (aujourd'hui par défaut), PAR_DEFAUT sinon."""
    return du_contenu(contenu_en_vigueur(plie, date))


def valider(v: Verificateur, section) -> None:
    if not v.objet(section, "engagement", ("signataires",), ("pieces",)):
        return
    signataires = section.get("signataires", ABSENT)
    if signataires is not ABSENT:
        v.liste_de_codes(signataires, "engagement.signataires", SIGNATAIRES, "signataire")
        if isinstance(signataires, list):
            for code in SIGNATAIRES_OBLIGATOIRES:
                if code not in signataires:
                    v.erreur(
                        "engagement.signataires",
                        f"« {code} » manque : {SIGNATAIRES[code]} signe toujours le contrat",
                    )
    pieces = section.get("pieces", ABSENT)
    if pieces is ABSENT:
        return
    if not isinstance(pieces, list):
        v.erreur("engagement.pieces", "une liste de pièces est attendue")
        return
    codes = {}
    for i, piece in enumerate(pieces):
        _piece(v, piece, f"engagement.pieces[{i}]", codes)


def _piece(v: Verificateur, piece, chemin, codes):
    if not v.objet(piece, chemin, ("code", "libelle", "obligatoire")):
        return
    code = piece.get("code", ABSENT)
    if code is not ABSENT:
        if not isinstance(code, str) or not CODE.match(code) or len(code) > 50:
            v.erreur(
                f"{chemin}.code",
                "code en minuscules, chiffres, tirets ou soulignés, 50 caractères au plus "
                "(ex. justificatif-domicile)",
            )
        elif code in codes:
            v.erreur(f"{chemin}.code", f"code « {code} » déjà utilisé par {codes[code]}")
        else:
            codes[code] = chemin
    v.texte(piece.get("libelle", ABSENT), f"{chemin}.libelle")
    if isinstance(piece.get("libelle"), str) and len(piece["libelle"]) > 200:
        v.erreur(f"{chemin}.libelle", "200 caractères au plus")
    v.booleen(piece.get("obligatoire", ABSENT), f"{chemin}.obligatoire")
