"""Validation du SIRET (python-stdnum) avec une raison en français."""

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.fr import siret as stdnum_siret


def normaliser_siret(valeur: str) -> str:
    """Le SIRET sans espaces ni points (forme stockée)."""
    return stdnum_siret.compact(valeur or "")


def valider_siret(valeur: str) -> None:
    """Lève une `ValidationError` dont le message dit pourquoi le SIRET est refusé."""
    numero = normaliser_siret(valeur)
    try:
        stdnum_siret.validate(numero)
    # InvalidLength hérite d'InvalidFormat : la longueur d'abord.
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(
            f"SIRET invalide : il doit compter 14 chiffres (ici {len(numero)}).",
            code="siret_longueur",
        ) from None
    except stdnum_exceptions.InvalidFormat:
        raise ValidationError(
            "SIRET invalide : il ne doit contenir que des chiffres (14 chiffres).",
            code="siret_format",
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            "SIRET invalide : la clé de contrôle ne correspond pas (vérifiez une faute de frappe).",
            code="siret_cle",
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError("SIRET invalide.", code="siret_invalide") from None
