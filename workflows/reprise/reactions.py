"""Une reprise a créé ou rouvert des parcours ouverts : leur travail reprend (docs/reprise.md).

Dans la transaction de la reprise : les processus naissent avec les parcours, ou rien. Un
parcours qui a déjà un processus actif (relance, parcours déjà suivi dans l'instance) n'est pas
touché ; les alertes sont vérifiées pour ces parcours seulement, par le service des alertes.
"""

import logging

from django.dispatch import receiver

from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import Parcours
from parcours.reprise.signaux import reprise_terminee
from workflows.alertes.verification import verifier_alertes
from workflows.reprise.processus import (
    attentes_des_parcours,
    creer_les_processus,
    parcours_deja_suivis,
)

logger = logging.getLogger(__name__)
LOT = 1000


def reprendre_le_travail(plie, parcours_ids) -> tuple[int, int]:
    """Rend (processus créés, alertes ouvertes). Par lots de `LOT` parcours : la mémoire et la
    taille des requêtes restent bornées, le nombre de requêtes par lot constant."""
    ids = sorted(set(parcours_ids) - parcours_deja_suivis(parcours_ids))
    crees = 0
    for debut in range(0, len(ids), LOT):
        lot = list(
            Parcours.objects.filter(plie=plie, pk__in=ids[debut : debut + LOT])
            .exclude(statut__in=STATUTS_CLOS)
            .select_related("plie", "referent")
            .order_by("pk")
        )
        crees += len(creer_les_processus(attentes_des_parcours(lot)))
    bilan = verifier_alertes(parcours=Parcours.objects.filter(plie=plie, pk__in=parcours_ids))
    return crees, len(bilan.ouvertes)


@receiver(reprise_terminee)
def _reprise_terminee(sender, plie, parcours_ids, par, **kwargs):
    crees, alertes = reprendre_le_travail(plie, parcours_ids)
    logger.info("Reprise %s : %s processus créé(s), %s alerte(s) ouverte(s)", plie, crees, alertes)
