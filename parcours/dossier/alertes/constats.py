"""Les alertes qui tiennent pour un ensemble de parcours : une requête par type d'alerte quelle
que soit sa taille, les délais lus une fois par PLIE.
"""

import datetime

from django.utils import timezone

from parcours.accompagnement.models import Parcours
from parcours.core.models import PLIE
from parcours.dossier.alertes.conditions import CONDITIONS
from parcours.dossier.alertes.definitions import Constat, TypeAlerte
from parcours.referentiel.sections.suivi import de as delais_de_suivi


def delais_des_plies(plie_ids, aujourdhui: datetime.date | None = None) -> dict:
    """Les délais de suivi en vigueur de chaque PLIE (une lecture du référentiel par PLIE)."""
    return {
        pid: delais_de_suivi(pid, aujourdhui)
        for pid in PLIE.objects.filter(pk__in=plie_ids).values_list("pk", flat=True)
    }


def constats(
    parcours=None, aujourdhui: datetime.date | None = None, types=None, delais=None
) -> list[Constat]:
    """Les alertes qui tiennent `aujourdhui` pour les parcours de `parcours` (tous par défaut),
    une requête par type d'alerte. `delais` : {plie_id: DelaisSuivi}, lus au besoin."""
    aujourdhui = aujourdhui or timezone.localdate()
    parcours = Parcours.objects.all() if parcours is None else parcours
    if delais is None:
        delais = delais_des_plies(parcours.values("plie_id"), aujourdhui)
    resultat = []
    for type_alerte in types or TypeAlerte:
        resultat += CONDITIONS[TypeAlerte(type_alerte)](parcours, delais, aujourdhui)
    return resultat


def constats_du_parcours(parcours: Parcours, aujourdhui: datetime.date | None = None):
    """Les alertes qui tiennent pour un parcours (affichées dans son dossier)."""
    delais = {parcours.plie_id: delais_de_suivi(parcours.plie_id, aujourdhui)}
    return constats(Parcours.objects.filter(pk=parcours.pk), aujourdhui, delais=delais)
