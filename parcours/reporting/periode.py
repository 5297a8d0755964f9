"""Une période de rapport (du … au …, bornes comprises) et ses messages d'erreur clairs."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Periode:
    du: datetime.date
    au: datetime.date

    def __str__(self):
        return f"du {self.du:%d/%m/%Y} au {self.au:%d/%m/%Y}"


def _date(valeur, nom: str) -> datetime.date | None:
    if valeur in (None, ""):
        return None
    if isinstance(valeur, datetime.date):
        return valeur
    try:
        return datetime.date.fromisoformat(str(valeur).strip())
    except ValueError:
        raise ValidationError(
            {nom: f"« {valeur} » n'est pas une date au format AAAA-MM-JJ (par exemple 2025-01-31)."}
        ) from None


def periode(du, au) -> Periode:
    """La période `du` → `au` ; une borne manquante (période ouverte), illisible ou inversée
    lève une ValidationError qui dit laquelle et pourquoi."""
    debut, fin = _date(du, "du"), _date(au, "au")
    erreurs = {}
    if debut is None:
        erreurs["du"] = "Indiquez le début de la période (une période ouverte n'est pas exportée)."
    if fin is None:
        erreurs["au"] = "Indiquez la fin de la période (une période ouverte n'est pas exportée)."
    if erreurs:
        raise ValidationError(erreurs)
    if fin < debut:
        raise ValidationError(
            {
                "au": f"La période est inversée : la fin ({fin:%d/%m/%Y}) précède le début "
                f"({debut:%d/%m/%Y})."
            }
        )
    return Periode(debut, fin)
