"""La période d'un bilan (mois de début et de fin, inclus) et les heures du périmètre qu'elle
retient."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, Value

from parcours.clauses.models import HeuresRealisees

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


@dataclass(frozen=True)
class Periode:
    """Mois de début et de fin (premiers jours du mois), inclus ; None : sans borne."""

    debut: datetime.date | None = None
    fin: datetime.date | None = None

    def filtre(self, champ="mois") -> Q:
        q = Q()
        if self.debut:
            q &= Q(**{f"{champ}__gte": self.debut})
        if self.fin:
            q &= Q(**{f"{champ}__lte": self.fin})
        return q

    def __str__(self):
        if self.debut and self.fin:
            return f"de {self.debut:%m/%Y} à {self.fin:%m/%Y}"
        if self.debut:
            return f"depuis {self.debut:%m/%Y}"
        if self.fin:
            return f"jusqu'à {self.fin:%m/%Y}"
        return "depuis le début des marchés"


# La période par défaut des bilans : depuis le début des marchés, sans fin.
SANS_BORNE = Periode()


def heures_du_perimetre(marches, periode: Periode = SANS_BORNE):
    return HeuresRealisees.objects.filter(marche__in=marches.values("pk")).filter(periode.filtre())


def periode_en_jours(periode: Periode, champ: str) -> Q:
    """La période en dates (du 1er du mois de début au dernier jour du mois de fin)."""
    q = Q()
    if periode.debut:
        q &= Q(**{f"{champ}__gte": periode.debut})
    if periode.fin:
        q &= Q(**{f"{champ}__lt": _mois_suivant(periode.fin)})
    return q


def _mois_suivant(mois: datetime.date) -> datetime.date:
    return (mois.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
