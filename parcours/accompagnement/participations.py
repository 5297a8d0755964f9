"""Les participations des parcours aux opérations FSE+ (docs/fse.md) : les ouvrir, les clore, et
recopier le questionnaire FSE+ d'une participation à la suivante.

- À l'engagement, le parcours entre dans l'opération d'accompagnement de la structure de son
  référent (date d'entrée : celle du questionnaire) ; le questionnaire de l'engagement lui est
  rattaché.
- Un changement de référent vers une autre structure clôt la participation et ouvre celle de
  l'opération de la nouvelle structure ; son questionnaire est la copie du précédent (on ne
  redemande que ce qui a changé, à rectifier depuis le dossier).
- La sortie validée clôt la participation en cours à la date de sortie.
- Une étape qui nomme une action financée fait participer le parcours à cette action, du début
  de sa première étape engagée (en cours, réalisée, abandonnée) à la fin de la dernière, ouverte
  tant qu'une étape est en cours (`suivre_l_action`, appelé par les services d'étapes).
- `rattacher_aux_operations` rattrape ce que les opérations déclarées après coup couvrent (fin
  d'une opération, nouvelle convention) : commande `rattacher_operations_fse`.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Greatest
from django.dispatch import receiver
from django.utils import timezone
from django_fsm.signals import post_transition

from parcours.accompagnement.enums import STATUTS_CLOS, Statut, StatutEtape
from parcours.accompagnement.models import (
    ChangementReferent,
    Parcours,
    ParticipationFse,
    QuestionnaireFSE,
)
from parcours.accompagnement.suivi.signaux import referent_change
from parcours.fse.enums import MotifFinParticipation, TypeOperation
from parcours.fse.models import OperationFse, operation_d_accompagnement

# Les réponses recopiées d'une participation à la suivante (la date d'entrée est la sienne).
CHAMPS_RECOPIES = tuple(c for c in QuestionnaireFSE.CHAMPS if c != "date_entree")


def _copie(source: QuestionnaireFSE, participation: ParticipationFse) -> QuestionnaireFSE:
    copie = QuestionnaireFSE(
        parcours_id=participation.parcours_id,
        participation=participation,
        recopie_de=source,
        date_entree=participation.date_entree,
        renseigne_par_id=source.renseigne_par_id,
    )
    for champ in CHAMPS_RECOPIES:
        setattr(copie, champ, getattr(source, champ))
    return copie


def _questionnaires_par_parcours(parcours_ids) -> dict[int, QuestionnaireFSE]:
    """Le questionnaire en vigueur de chaque parcours (le plus récent), en une requête."""
    courants = {}
    for q in QuestionnaireFSE.objects.filter(parcours_id__in=parcours_ids).order_by("pk"):
        courants[q.parcours_id] = q
    return courants


def ouvrir_participations(
    entrees, par=None, motif_fin=MotifFinParticipation.SORTIE
) -> list[ParticipationFse]:
    """Ouvre les participations `entrees` [(parcours, opération, jour[, sortie])] et leur donne un
    questionnaire : celui de l'engagement s'il attend une participation, sinon la copie du
    questionnaire en vigueur. Un nombre constant de requêtes, quel que soit le nombre d'entrées."""
    entrees = [(e[0], e[1], e[2], e[3] if len(e) > 3 else None) for e in entrees if e[1]]
    # Sans opération (rien à écrire), pas de point de sauvegarde : 2 requêtes par engagement.
    return _ouvrir(entrees, par, motif_fin) if entrees else []


@transaction.atomic
def _ouvrir(entrees, par, motif_fin) -> list[ParticipationFse]:
    courants = _questionnaires_par_parcours([e[0].pk for e in entrees])
    participations = ParticipationFse.objects.bulk_create(
        ParticipationFse(
            parcours_id=p.pk,
            operation=op,
            structure_id=op.structure_porteuse_id,
            date_entree=jour,
            date_sortie=sortie,
            motif_fin=motif_fin if sortie else "",
            ouverte_par=par,
        )
        for p, op, jour, sortie in entrees
    )
    a_rattacher, copies = [], []
    for participation in participations:
        source = courants.get(participation.parcours_id)
        if source is None:
            continue
        if source.participation_id is None:
            # Sa date d'entrée devient celle de l'entrée dans cette opération.
            source.participation = participation
            source.date_entree = participation.date_entree
            a_rattacher.append(source)
        else:
            copies.append(_copie(source, participation))
    QuestionnaireFSE.objects.bulk_update(a_rattacher, ["participation", "date_entree"])
    QuestionnaireFSE.objects.bulk_create(copies)
    return participations


def clore_participations(parcours_ids, jour: datetime.date, motif: str, types=None) -> int:
    """Clôt les participations ouvertes de ces parcours au `jour` (au plus tôt à leur entrée)."""
    qs = ParticipationFse.objects.filter(parcours_id__in=parcours_ids, date_sortie__isnull=True)
    if types:
        qs = qs.filter(operation__type__in=types)
    return qs.update(
        date_sortie=Greatest(F("date_entree"), Value(jour)),
        motif_fin=motif,
        updated_at=timezone.now(),
    )


@receiver(post_transition, sender=Parcours)
def _engagement_et_sortie(sender, instance, name, method_kwargs, **kwargs):
    if "exception" in kwargs:
        return
    if name == "engager":
        jour = instance.date_entree or timezone.localdate()
        operation = operation_d_accompagnement(
            instance.plie_id, instance.structure_referente_id, jour
        )
        ouvrir_participations([(instance, operation, jour)], par=method_kwargs.get("par"))
    elif name == "valider_sortie":
        jour = instance.date_sortie or timezone.localdate()
        clore_participations([instance.pk], jour, MotifFinParticipation.SORTIE)


@receiver(referent_change, sender=ChangementReferent)
def _changement_de_structure(sender, changements, par, **kwargs):
    """Le référent change de structure : nouvelle participation (opération de la nouvelle
    structure) pour les parcours engagés ; rien avant l'engagement."""
    jour = timezone.localdate()
    concernes = [
        c
        for c in changements
        if c.ancienne_structure_id != c.nouvelle_structure.pk
        and c.parcours.statut not in (*STATUTS_CLOS, Statut.ADMIS)
        and c.parcours.date_entree is not None
    ]
    if not concernes:
        return
    clore_participations(
        [c.parcours.pk for c in concernes],
        jour,
        MotifFinParticipation.CHANGEMENT_STRUCTURE,
        types=[TypeOperation.ACCOMPAGNEMENT],
    )
    operations = {}
    entrees = []
    for c in concernes:
        cle = (c.parcours.plie_id, c.nouvelle_structure.pk)
        if cle not in operations:
            operations[cle] = operation_d_accompagnement(*cle, jour)
        entrees.append((c.parcours, operations[cle], jour))
    ouvrir_participations(entrees, par=par)


@transaction.atomic
def rattacher_aux_operations(plie_id: int, jour: datetime.date | None = None, par=None) -> dict:
    """Met les participations d'un PLIE d'accord avec ses opérations au `jour` : clôt celles
    dont l'opération est finie (à sa date de fin) et fait entrer chaque parcours engagé sans
    participation ouverte dans l'opération d'accompagnement de la structure de son référent
    (à sa date d'entrée, ou au début de l'opération s'il est entré avant). Idempotent."""
    jour = jour or timezone.localdate()
    finies = ParticipationFse.objects.filter(
        parcours__plie_id=plie_id, date_sortie__isnull=True, operation__fin__lt=jour
    ).select_related("operation")
    closes = 0
    for fin in {p.operation.fin for p in finies}:
        closes += finies.filter(operation__fin=fin).update(
            date_sortie=fin, motif_fin=MotifFinParticipation.FIN_OPERATION
        )
    ouverte = ParticipationFse.objects.filter(
        parcours_id=OuterRef("pk"),
        date_sortie__isnull=True,
        operation__type=TypeOperation.ACCOMPAGNEMENT,
    )
    engages = (
        Parcours.objects.filter(plie_id=plie_id, date_entree__isnull=False)
        .exclude(statut__in=STATUTS_CLOS)
        .exclude(Exists(ouverte))
        .only("pk", "plie_id", "structure_referente_id", "date_entree")
    )
    operations = {
        op.structure_porteuse_id: op
        for op in OperationFse.objects.en_cours_le(jour)
        .filter(plie_id=plie_id, type=TypeOperation.ACCOMPAGNEMENT)
        .order_by("debut", "pk")
    }
    entrees = []
    for parcours in engages:
        operation = operations.get(parcours.structure_referente_id)
        if operation is not None:
            entrees.append((parcours, operation, max(parcours.date_entree, operation.debut)))
    entrees += _sortis_sans_participation(plie_id, jour)
    ouvertes = ouvrir_participations(entrees, par=par)
    return {"closes": closes, "ouvertes": len(ouvertes)}


def _sortis_sans_participation(plie_id: int, jour: datetime.date) -> list[tuple]:
    """Les parcours sortis pendant une opération d'accompagnement de la structure de leur
    référent, sans participation : une participation close à leur sortie (les exports des
    sorties les comptent)."""
    par_structure: dict[int, list[OperationFse]] = {}
    for op in OperationFse.objects.filter(
        plie_id=plie_id, type=TypeOperation.ACCOMPAGNEMENT, debut__lte=jour
    ):
        par_structure.setdefault(op.structure_porteuse_id, []).append(op)
    sortis = (
        Parcours.objects.filter(
            plie_id=plie_id,
            statut=Statut.SORTI,
            date_entree__isnull=False,
            date_sortie__isnull=False,
            structure_referente_id__in=par_structure,
        )
        .exclude(Exists(ParticipationFse.objects.filter(parcours_id=OuterRef("pk"))))
        .only("pk", "structure_referente_id", "date_entree", "date_sortie")
    )
    entrees = []
    for parcours in sortis:
        for op in par_structure[parcours.structure_referente_id]:
            if op.debut <= parcours.date_sortie and (
                op.fin is None or parcours.date_sortie <= op.fin
            ):
                debut = max(parcours.date_entree, op.debut)
                entrees.append((parcours, op, debut, parcours.date_sortie))
                break
    return entrees


# Les étapes qui font participer à l'action : commencées (une étape prévue ne compte pas encore).
STATUTS_ETAPE_PARTICIPANTE = (StatutEtape.EN_COURS, StatutEtape.REALISEE, StatutEtape.ABANDONNEE)


def suivre_l_action(parcours, operation_id: int | None, par=None) -> ParticipationFse | None:
    """Met la participation du parcours à l'action financée `operation_id` d'accord avec ses
    étapes qui la nomment : entrée au début de la première étape commencée, sortie à la fin de
    la dernière quand aucune n'est plus en cours. Sans étape commencée, la participation
    disparaît (son questionnaire d'origine, s'il y en a un, est gardé sans participation)."""
    from parcours.accompagnement.models import Etape

    if operation_id is None:
        return None
    etapes = list(
        Etape.objects.filter(
            parcours_id=parcours.pk,
            operation_id=operation_id,
            statut__in=STATUTS_ETAPE_PARTICIPANTE,
        ).values_list("date_debut", "date_fin", "statut")
    )
    existante = (
        ParticipationFse.objects.select_for_update()
        .filter(parcours_id=parcours.pk, operation_id=operation_id)
        .order_by("-date_entree", "-pk")
        .first()
    )
    if not etapes:
        if existante is not None:
            # Le questionnaire de l'engagement n'est jamais supprimé avec elle : seule une copie.
            QuestionnaireFSE.objects.filter(
                participation=existante, recopie_de__isnull=True
            ).update(participation=None)
            existante.delete()
        return None
    entree = min(debut for debut, _, _ in etapes)
    finie = all(statut != StatutEtape.EN_COURS and fin is not None for _, fin, statut in etapes)
    sortie = max(fin for _, fin, _ in etapes) if finie else None
    sortie = max(sortie, entree) if sortie else None
    motif = MotifFinParticipation.FIN_ACTION if sortie else ""
    if existante is None:
        operation = OperationFse.objects.get(pk=operation_id)
        (participation,) = ouvrir_participations(
            [(parcours, operation, entree, sortie)],
            par=par,
            motif_fin=MotifFinParticipation.FIN_ACTION,
        )
        return participation
    if (existante.date_entree, existante.date_sortie, existante.motif_fin) != (
        entree,
        sortie,
        motif,
    ):
        existante.date_entree, existante.date_sortie, existante.motif_fin = entree, sortie, motif
        existante.save(update_fields=["date_entree", "date_sortie", "motif_fin", "updated_at"])
    return existante
