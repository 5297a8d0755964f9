"""Ouvrir et lever les alertes par lots, pour la passe complète du changement de jour
(docs/PERFORMANCE.md) : quelques requêtes pour des milliers d'alertes, au lieu d'un processus
viewflow démarré ou annulé un par un (~9 et ~6 requêtes chacun).

Les lignes écrites sont celles qu'écrit viewflow (`AlerteFlow.start.run`, `Flow.cancel`) :
processus `NEW`, tâche de départ `DONE`, tâche « Traiter » `ASSIGNED` au référent avec son
échéance, lien `previous` de l'une à l'autre ; à la levée, processus et tâches actives
`CANCELED`, avec leur date de fin. tests/alertes/test_lots.py les compare champ par champ à
celles de viewflow, puis exécute une tâche ouverte par lot depuis son écran.
"""

from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from workflows.alertes.flows import (
    AlerteFlow,
    donnees_d_alerte,
    echeance_de,
    echeance_de_la_tache,
    type_parcours,
)

# Les tâches qu'une annulation de viewflow laisse telles quelles, et celles qu'elle annule (un
# nœud « View » s'annule depuis NEW ou ASSIGNED) ; toute autre (STARTED, ERROR…) la refuse.
_FINIES = (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED)
_ANNULABLES = (STATUS.NEW, STATUS.ASSIGNED)


def ouvrir_en_lot(a_ouvrir) -> int:
    """`a_ouvrir` : des couples (id du parcours, id du référent, constat). Quatre requêtes."""
    if not a_ouvrir:
        return 0
    maintenant = timezone.now()
    type_dossier = type_parcours()
    processus = Process.objects.bulk_create(
        [
            Process(
                flow_class=AlerteFlow,
                status=PROCESS.NEW,
                created=maintenant,
                data=donnees_d_alerte(constat, maintenant),
                artifact_content_type=type_dossier,
                artifact_object_id=parcours_id,
            )
            for parcours_id, _, constat in a_ouvrir
        ]
    )
    departs = Task.objects.bulk_create(
        [
            Task(
                process=p,
                flow_task=AlerteFlow.start,
                flow_task_type="START",
                status=STATUS.DONE,
                created=maintenant,
                started=maintenant,
                finished=maintenant,
                token=Token("start"),
            )
            for p in processus
        ]
    )
    taches = Task.objects.bulk_create(
        [
            Task(
                process=p,
                flow_task=AlerteFlow.traiter,
                flow_task_type="HUMAN",
                status=STATUS.ASSIGNED,
                created=maintenant,
                owner_id=referent_id,
                token=Token("start"),
                data={
                    "echeance": echeance_de_la_tache(echeance_de(p.data), maintenant).isoformat()
                },
            )
            for p, (_, referent_id, _) in zip(processus, a_ouvrir, strict=True)
        ]
    )
    Lien = Task.previous.through
    Lien.objects.bulk_create(
        [Lien(from_task_id=t.pk, to_task_id=d.pk) for t, d in zip(taches, departs, strict=True)]
    )
    return len(processus)


def lever_en_lot(raisons: dict[int, str]) -> set[int]:
    """Lève les alertes `raisons` (id du processus → pourquoi) ; rend celles qui n'ont pas pu
    l'être (une tâche en cours d'exécution, comme le refuserait viewflow) : la passe suivante les
    reprend. Une alerte traitée ou levée entre-temps est laissée telle quelle. Trois requêtes."""
    if not raisons:
        return set()
    ids = sorted(raisons)
    maintenant = timezone.now()
    with connection.cursor() as cursor:
        # Verrous pris par clé croissante, comme `lever_les_alertes_sans_cause` : pas
        # d'interblocage avec l'action d'un utilisateur sur le même dossier.
        cursor.execute(
            """
            SELECT p.id,
                   EXISTS (SELECT 1 FROM viewflow_task t
                           WHERE t.process_id = p.id AND NOT t.status = ANY(%s)) AS bloquee
            FROM viewflow_process p
            WHERE p.id = ANY(%s) AND p.status = %s
            ORDER BY p.id
            FOR UPDATE OF p
            """,
            [[*_FINIES, *_ANNULABLES], ids, PROCESS.NEW],
        )
        lignes = cursor.fetchall()
        bloquees = {pk for pk, bloquee in lignes if bloquee}
        a_lever = [pk for pk, bloquee in lignes if not bloquee]
        if a_lever:
            cursor.execute(
                """
                UPDATE viewflow_process p
                SET status = %s, finished = %s,
                    data = p.data || jsonb_build_object(
                        'levee', jsonb_build_object('le', %s::text, 'raison', v.raison))
                FROM unnest(%s::integer[], %s::text[]) AS v(id, raison)
                WHERE p.id = v.id
                """,
                [
                    PROCESS.CANCELED,
                    maintenant,
                    maintenant.isoformat(),
                    a_lever,
                    [f"levée automatiquement : {raisons[pk]}" for pk in a_lever],
                ],
            )
            cursor.execute(
                "UPDATE viewflow_task SET status = %s, finished = %s "
                "WHERE process_id = ANY(%s) AND status = ANY(%s)",
                [STATUS.CANCELED, maintenant, a_lever, list(_ANNULABLES)],
            )
    return bloquees
