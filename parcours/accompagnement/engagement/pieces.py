"""Les pièces justificatives d'entrée : la liste du référentiel en vigueur, ce qui est déposé, ce
qui manque, le dépôt."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.accompagnement.engagement.commun import (
    ecrit_en_dernier,
    remplacer_fichier,
    verifier_droits_et_etat,
)
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.models.engagement import PieceEntree
from parcours.core.fichiers import verifier_fichier
from parcours.referentiel.sections.engagement import PieceAttendue
from parcours.referentiel.sections.engagement import de as regles_engagement


@dataclass(frozen=True)
class LignePiece:
    """Une ligne de la liste des pièces : la pièce attendue et, si elle l'est, la pièce déposée."""

    attendue: PieceAttendue
    deposee: PieceEntree | None


def pieces_attendues(parcours: Parcours) -> list[PieceAttendue]:
    return list(regles_engagement(parcours.plie).pieces)


def pieces_entree(parcours: Parcours) -> list[LignePiece]:
    """La liste du référentiel en vigueur, avec ce qui a été déposé (obligatoires d'abord)."""
    deposees = {p.code: p for p in PieceEntree.objects.filter(parcours=parcours)}
    attendues = sorted(pieces_attendues(parcours), key=lambda p: not p.obligatoire)
    return [LignePiece(p, deposees.get(p.code)) for p in attendues]


def pieces_manquantes(parcours: Parcours) -> list[PieceAttendue]:
    """Les pièces obligatoires du référentiel en vigueur qui n'ont pas été déposées."""
    deposees = set(PieceEntree.objects.filter(parcours=parcours).values_list("code", flat=True))
    return [p for p in pieces_attendues(parcours) if p.obligatoire and p.code not in deposees]


@ecrit_en_dernier
def deposer_piece(parcours: Parcours, code: str, fichier, par) -> PieceEntree:
    """Dépose une pièce de la liste d'entrée ; un nouveau dépôt du même code remplace l'ancien.

    Erreurs : ValidationError sous `code` (pièce inconnue du référentiel) ou `fichier` (type,
    taille).
    """
    verifier_droits_et_etat(parcours, par, "déposer une pièce d'entrée")
    attendue = regles_engagement(parcours.plie).piece(code)
    if attendue is None:
        connues = ", ".join(p.code for p in pieces_attendues(parcours)) or "aucune"
        raise ValidationError(
            {
                "code": [
                    f"« {code} » n'est pas une pièce de la liste d'entrée de ce PLIE "
                    f"(pièces : {connues})."
                ]
            }
        )
    try:
        verifier_fichier(fichier, champ=f"Pièce « {attendue.libelle} »")
    except ValidationError as exc:
        raise ValidationError({"fichier": exc.messages}) from exc
    piece = PieceEntree.objects.filter(parcours=parcours, code=code).first() or PieceEntree(
        parcours=parcours, code=code
    )
    piece.parcours = parcours
    piece.libelle = attendue.libelle
    piece.deposee_par = par
    piece.le = timezone.now()
    remplacer_fichier(piece.fichier, fichier.name, fichier)
    piece.save()
    return piece
