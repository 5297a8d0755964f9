"""Une reprise a créé ou rouvert des parcours ouverts : leur travail reprend (docs/reprise.md).

Dans la transaction de la reprise : les processus naissent avec les parcours, ou rien. Un
parcours qui a déjà un processus actif (relance, parcours déjà suivi dans l'instance) n'est pas
touché ; les alertes sont vérifiées pour ces parcours seulement, par le service des alertes
(`verifier_alertes`, qui ouvre par lots).
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS

from parcours.accompagnement.enums import STATUTS_CLOS
from parcours.accompagnement.models import Parcours
from parcours.reprise.signaux import reprise_terminee
from workflows.alertes.verification import verifier_alertes
from workflows.reprise.contrats import creer_les_suivis_de_contrats
from workflows.reprise.processus import (
    FLUX_DU_PARCOURS,
    attentes_des_parcours,
    creer_les_processus,
    parcours_deja_suivis,
)
from workflows.reprise.relance import suivre_les_contrats, suivre_les_suspensions

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
    if ids:
        alertes = len(
            verifier_alertes(parcours=Parcours.objects.filter(plie=plie, pk__in=ids)).ouvertes
        )
    return crees, alertes


def annuler_le_travail(plie, parcours_ids) -> int:
    """Une relance a changé l'état de ces parcours : leurs processus actifs (hors alertes) ne
    correspondent plus à leur état ; annulés par l'API de viewflow, un à un (une relance change
    peu d'états). Rend leur nombre."""
    processus = Process.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(Parcours),
        artifact_object_id__in=list(
            Parcours.objects.filter(plie=plie, pk__in=list(parcours_ids)).values_list(
                "pk", flat=True
            )
        ),
        status=PROCESS.NEW,
        flow_class__in=FLUX_DU_PARCOURS,
    ).order_by("pk")
    annules = 0
    for process in processus:
        process.flow_class.instance.cancel(process)
        annules += 1
    return annules


@receiver(reprise_terminee)
def _reprise_terminee(
    sender,
    plie,
    parcours_ids,
    par,
    etats_changes=(),
    contrats_changes=(),
    suspensions_changees=(),
    **kwargs,
) -> str | None:
    """Rend la phrase du rapport de la reprise. Les parcours dont une relance a changé l'état
    perdent leurs processus puis reçoivent ceux de leur nouvel état ; leurs alertes sont
    revérifiées (levées si leur cause a disparu). Ceux dont elle n'a changé que les contrats ou
    les suspensions voient leurs minuteurs suivre (`relance`)."""
    annules = annuler_le_travail(plie, etats_changes) if etats_changes else 0
    crees, alertes = reprendre_le_travail(plie, parcours_ids)
    if etats_changes:
        verifier_alertes(parcours=Parcours.objects.filter(plie=plie, pk__in=list(etats_changes)))
    # Les parcours créés ou dont l'état a changé ont déjà reçu tout leur travail.
    traites = set(parcours_ids) | set(etats_changes)
    revus = suivis = termines = 0
    if contrats := set(contrats_changes) - traites:
        revus, suivis, termines = suivre_les_contrats(plie, contrats)
    suspensions = (0, 0, 0)
    if changees := set(suspensions_changees) - traites:
        suspensions = suivre_les_suspensions(plie, changees)
    logger.info("Reprise %s : %s processus créé(s), %s alerte(s) ouverte(s)", plie, crees, alertes)
    phrases = []
    if parcours_ids or etats_changes:
        phrase = (
            f"Travail repris : {crees} processus créé(s) (tâches et minuteurs), "
            f"{alertes} alerte(s) ouverte(s) chez les référents"
        )
        phrases.append(
            phrase + (f", {annules} processus annulé(s) (état changé)" if annules else "")
        )
    if revus or suivis or termines:
        phrase = (
            f"Contrats changés : {revus} minuteur(s) de sortie revu(s), "
            f"{suivis} suivi(s) de contrat créé(s)"
        )
        phrases.append(
            phrase + (f", {termines} suivi(s) de contrat terminé annulé(s)" if termines else "")
        )
    if any(suspensions):
        phrases.append(
            f"Suspensions changées : {suspensions[0]} processus créé(s), "
            f"{suspensions[1]} minuteur(s) déplacé(s), {suspensions[2]} processus annulé(s)"
        )
    return " ; ".join(phrases) or None
