"""La vérification périodique des alertes de suivi (commande `verifier_alertes`).

Elle confronte les conditions du domaine (`parcours.dossier.alertes.constats`, une requête par type
d'alerte) aux alertes ouvertes :
- une condition qui tient sans alerte ouverte ouvre un processus `AlerteFlow` (un seul ouvert par
  parcours et type d'alerte), dont la tâche est assignée au référent avec son échéance ;
- une alerte ouverte dont la condition a disparu est levée d'elle-même (processus annulé, raison
  « levée automatiquement : … » gardée dans ses données et montrée dans le dossier) ;
- une situation déjà signalée (même parcours, même type, même clé) n'est jamais rouverte, même
  traitée : le référent n'est pas relancé pour ce qu'il a déjà traité.
Relancer la commande ne change rien (idempotente) ; deux passes simultanées sont sérialisées.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.dossier.alertes import STATUTS_ALERTE, Constat, TypeAlerte, constats
from workflows.alertes.flows import AlerteFlow, type_parcours
from workflows.alertes.lots import lever_en_lot, ouvrir_en_lot

logger = logging.getLogger(__name__)

# Sérialise les passes de verifier_alertes (verrou consultatif de transaction PostgreSQL).
VERROU_VERIFICATION = 7_204_118_301

# Pourquoi une alerte se lève d'elle-même, quand le parcours est toujours dans un état concerné.
LEVEES = {
    TypeAlerte.ENTRETIEN_MENSUEL: "un entretien physique a été enregistré ou une étape emploi ou "
    "formation est en cours",
    TypeAlerte.SANS_CONTACT: "un contact avec la personne a été enregistré",
    TypeAlerte.SANS_ETAPE: "une étape a été enregistrée",
    TypeAlerte.DUREE_PARCOURS: "la date d'entrée du parcours a changé",
    TypeAlerte.RQTH: "la date de validité de la RQTH a changé",
    TypeAlerte.FSE_ENTREE: "le questionnaire FSE+ d'entrée est complet",
    TypeAlerte.FSE_SORTIE: "les données FSE+ de sortie ont été saisies",
}


@dataclass
class Bilan:
    ouvertes: list[tuple[int, str]] = field(default_factory=list)
    levees: list[tuple[int, str]] = field(default_factory=list)
    reassignees: int = 0
    # Alertes dont la levée a échoué (tâche en cours d'exécution) : la passe suivante les reprend.
    a_reprendre: set[int] = field(default_factory=set)
    examines: int | None = None
    complete: bool = True

    def __str__(self):
        return (
            f"{len(self.ouvertes)} alerte(s) ouverte(s), {len(self.levees)} levée(s) "
            f"automatiquement, {self.reassignees} réassignée(s)"
            + ("." if self.complete else f" ({self.examines} parcours modifié(s) examiné(s)).")
        )


def processus_d_alerte(parcours_ids=None):
    qs = Process.objects.filter(flow_class=AlerteFlow, artifact_content_type=type_parcours())
    if parcours_ids is not None:
        qs = qs.filter(artifact_object_id__in=parcours_ids)
    return qs


def _raison_de_levee(type_alerte: str, statut: str, constat: Constat | None) -> str:
    if constat is not None:
        # La situation a changé (nouvelle échéance, seuil suivant) : l'alerte ouverte laisse la
        # place à celle qui décrit la situation actuelle.
        return f"situation nouvelle — {constat.raison}"
    statut = Statut(statut)
    if statut not in STATUTS_ALERTE[TypeAlerte(type_alerte)]:
        return f"le parcours est désormais « {statut.label} »"
    return LEVEES[TypeAlerte(type_alerte)]


def verifier_alertes(aujourdhui: datetime.date | None = None, parcours=None, delais=None) -> Bilan:
    """Ouvre les alertes dont la condition tient, lève celles dont la condition a disparu.

    `parcours` : un queryset pour limiter la vérification (tous les parcours par défaut) ;
    `delais` : les délais de suivi par PLIE, s'ils sont déjà lus. Les conditions coûtent une
    requête par type d'alerte ; ouvertures et levées, quelques requêtes par lot, quel qu'en soit
    le nombre.
    """
    aujourdhui = aujourdhui or timezone.localdate()
    parcours = Parcours.objects.all() if parcours is None else parcours
    bilan = Bilan()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU_VERIFICATION])
        tenues = {(c.parcours_id, c.type): c for c in constats(parcours, aujourdhui, delais=delais)}
        ids = parcours.values("pk")
        deja_signalees = set()
        ouvertes = {}
        for pk, pid, data, status in processus_d_alerte(ids).values_list(
            "pk", "artifact_object_id", "data", "status"
        ):
            deja_signalees.add((pid, data.get("type"), data.get("cle")))
            if status == PROCESS.NEW:
                ouvertes[(pid, data.get("type"))] = (pk, data.get("cle"))
        a_lever = {
            pk: cle
            for cle, (pk, cle_ouverte) in ouvertes.items()
            if cle not in tenues or tenues[cle].cle != cle_ouverte
        }
        etats = dict(
            Parcours.objects.filter(pk__in={pid for pid, _ in a_lever.values()}).values_list(
                "pk", "statut"
            )
        )
        # Par lots (workflows/alertes/lots.py) : quelques requêtes pour toute la passe.
        raisons = {
            pk: _raison_de_levee(type_alerte, etats[pid], tenues.get((pid, type_alerte)))
            for pk, (pid, type_alerte) in a_lever.items()
        }
        bloquees = lever_en_lot(raisons)
        for pk, (pid, type_alerte) in sorted(a_lever.items()):
            if pk in bloquees:
                logger.warning("Alerte %s non levée : sa tâche est en cours d'exécution.", pk)
                bilan.a_reprendre.add(pid)
            else:
                bilan.levees.append((pid, type_alerte))
        encore_ouvertes = set(ouvertes) - set(bilan.levees)
        a_ouvrir = [
            c
            for cle, c in tenues.items()
            if cle not in encore_ouvertes and (c.parcours_id, c.type, c.cle) not in deja_signalees
        ]
        referents = dict(
            Parcours.objects.filter(pk__in={c.parcours_id for c in a_ouvrir}).values_list(
                "pk", "referent_id"
            )
        )
        # Sans référent, personne à qui l'assigner : l'alerte reste visible dans le dossier.
        a_ouvrir = [
            (c.parcours_id, referents[c.parcours_id], c)
            for c in a_ouvrir
            if referents.get(c.parcours_id) is not None
        ]
        ouvrir_en_lot(a_ouvrir)
        bilan.ouvertes.extend((pid, c.type) for pid, _, c in a_ouvrir)
        bilan.reassignees = _suivre_le_referent(ids)
    return bilan


def lever_les_alertes_sans_cause(parcours_id: int, aujourdhui=None) -> list[str]:
    """Dans la transaction de l'action qui a changé le dossier (entretien, contact, étape,
    données FSE+, transition : workflows/alertes/reactions.py) : lève ses alertes ouvertes dont
    la condition ne tient plus, pour que le dossier et la boîte concordent tout de suite.

    Une requête si le dossier n'a pas d'alerte ouverte. Ne prend pas le verrou de la passe
    périodique (l'action de l'utilisateur n'attend pas une passe complète) : les alertes du
    dossier sont verrouillées ligne à ligne, et la levée (`lever_en_lot`, comme la passe) saute
    celles traitées entre-temps. N'ouvre
    rien et ne remplace rien : une situation nouvelle (retard suivant) attend la passe
    périodique. Rend les types levés."""
    ouvertes = list(
        processus_d_alerte([parcours_id])
        .filter(status=PROCESS.NEW)
        .select_for_update()
        .order_by("pk")
    )
    if not ouvertes:
        return []
    types = {p.data.get("type") for p in ouvertes} & set(TypeAlerte.values)
    dossier = Parcours.objects.filter(pk=parcours_id)
    tenues = {c.type for c in constats(dossier, aujourdhui, types=types)}
    statut = dossier.values_list("statut", flat=True).first()
    raisons, types_par_alerte = {}, {}
    for process in ouvertes:
        type_alerte = process.data.get("type")
        if type_alerte in types and type_alerte not in tenues:
            raisons[process.pk] = _raison_de_levee(type_alerte, statut, None)
            types_par_alerte[process.pk] = type_alerte
    bloquees = lever_en_lot(raisons)
    for pk in sorted(bloquees):
        logger.warning("Alerte %s non levée : sa tâche est en cours d'exécution.", pk)
    return [t for pk, t in sorted(types_par_alerte.items()) if pk not in bloquees]


def _suivre_le_referent(parcours_ids) -> int:
    """Une alerte ouverte suit le référent du parcours quand il change."""
    from django.db.models import F, OuterRef, Subquery

    referent = Parcours.objects.filter(pk=OuterRef("process__artifact_object_id")).values(
        "referent_id"
    )[:1]
    a_reassigner = (
        Task.objects.filter(
            flow_task=AlerteFlow.traiter,
            status=STATUS.ASSIGNED,
            process__artifact_object_id__in=parcours_ids,
        )
        .annotate(referent_id=Subquery(referent))
        .exclude(owner_id=F("referent_id"))
        .filter(referent_id__isnull=False)
    )
    n = 0
    for tache in a_reassigner:
        tache.owner_id = tache.referent_id
        tache.save(update_fields=["owner"])
        n += 1
    return n
