"""Une reprise a créé ou rouvert des parcours ouverts : leur travail reprend (docs/reprise.md).

Dans la transaction de la reprise : les processus naissent avec les parcours, ou rien. Un
parcours qui a déjà un processus actif (relance, parcours déjà suivi dans l'instance) n'est pas
touché ; les alertes sont ouvertes pour ces parcours seulement, par lots, selon les conditions
du service des alertes (`workflows/reprise/alertes.py`).
"""

import logging

from django.dispatch import receiver

from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import Parcours
from parcours.reprise.signaux import reprise_terminee
from workflows.reprise.alertes import attentes_des_alertes
from workflows.reprise.contrats import creer_les_suivis_de_contrats
from workflows.reprise.processus import (
    attentes_des_parcours,
    creer_les_processus,
    parcours_deja_suivis,
)

logger = logging.getLogger(__name__)
LOT = 1000


def reprendre_le_travail(plie, parcours_ids) -> tuple[int, int]:
    """Rend (processus de parcours créés, alertes ouvertes). Par lots de `LOT` parcours : la
    mémoire et la taille des requêtes restent bornées, le nombre de requêtes par lot constant."""
    deja = parcours_deja_suivis(parcours_ids)
    ids = sorted(set(parcours_ids))
    crees = alertes = 0
    for debut in range(0, len(ids), LOT):
        lot = list(
            Parcours.objects.filter(plie=plie, pk__in=ids[debut : debut + LOT])
            .exclude(statut__in=STATUTS_CLOS)
            .select_related("plie", "referent")
            .order_by("pk")
        )
        nouveaux = [p for p in lot if p.pk not in deja]
        crees += len(creer_les_processus(attentes_des_parcours(nouveaux)))
        crees += creer_les_suivis_de_contrats(nouveaux)
        alertes += len(creer_les_processus(attentes_des_alertes(lot)))
    return crees, alertes


@receiver(reprise_terminee)
def _reprise_terminee(sender, plie, parcours_ids, par, **kwargs) -> str:
    """Rend la phrase du rapport de la reprise."""
    crees, alertes = reprendre_le_travail(plie, parcours_ids)
    logger.info("Reprise %s : %s processus créé(s), %s alerte(s) ouverte(s)", plie, crees, alertes)
    return (
        f"Travail repris : {crees} processus créé(s) (tâches et minuteurs), "
        f"{alertes} alerte(s) ouverte(s) chez les référents"
    )
