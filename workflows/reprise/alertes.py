"""Les alertes des parcours repris, ouvertes par lots (docs/reprise.md, « Le travail reprend »).

Mêmes conditions (`parcours.dossier.alertes.constats`), mêmes données de processus
(`donnees_de_l_alerte`), même échéance de tâche et même règle « une situation déjà signalée
n'est pas rouverte » que `verifier_alertes` : une passe de `verifier_alertes` juste après ne
trouve rien à ouvrir ni à lever (tests/reprise/test_travail.py). Mais l'ouverture une à une
(`AlerteFlow.start.run`) coûte une dizaine de requêtes par alerte, quelques milliers pour une
reprise de 500 personnes : ici, quelques requêtes par lot.
"""

from django.db import connection
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from parcours.accompagnement.models import Parcours
from parcours.dossier.alertes import constats
from workflows.alertes.flows import (
    AlerteFlow,
    donnees_de_l_alerte,
    echeance_de,
    echeance_de_la_tache,
)
from workflows.alertes.verification import VERROU_VERIFICATION, processus_d_alerte
from workflows.reprise.processus import Attente


def attentes_des_alertes(parcours: list[Parcours], aujourdhui=None) -> list[Attente]:
    """Une attente « Traiter l'alerte » par alerte qui tient pour ces parcours et n'a jamais été
    signalée ; sans référent, pas de tâche (comme `verifier_alertes`)."""
    # La passe périodique attend la fin de la reprise (même verrou que `verifier_alertes`).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU_VERIFICATION])
    par_pk = {p.pk: p for p in parcours}
    requete = Parcours.objects.filter(pk__in=list(par_pk))
    deja_signalees, ouvertes = set(), set()
    for pid, data, status in processus_d_alerte(requete.values("pk")).values_list(
        "artifact_object_id", "data", "status"
    ):
        deja_signalees.add((pid, data.get("type"), data.get("cle")))
        if status == PROCESS.NEW:
            ouvertes.add((pid, data.get("type")))
    maintenant = timezone.now()
    attentes = []
    for c in constats(requete, aujourdhui):
        dossier = par_pk[c.parcours_id]
        if dossier.referent_id is None or (c.parcours_id, c.type) in ouvertes:
            continue
        if (c.parcours_id, c.type, c.cle) in deja_signalees:
            continue
        donnees = donnees_de_l_alerte(c)
        echeance = echeance_de_la_tache(echeance_de(donnees), maintenant)
        attentes.append(
            Attente(
                dossier,
                AlerteFlow.start,
                AlerteFlow.traiter,
                donnees=donnees,
                donnees_tache={"echeance": echeance.isoformat()},
            )
        )
    return attentes
