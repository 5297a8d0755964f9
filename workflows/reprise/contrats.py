"""Le suivi dans l'emploi des contrats en cours d'un parcours repris (docs/reprise.md).

Un processus `SuiviContratFlow` par contrat en cours (hors formation et création d'entreprise,
comme à l'enregistrement d'un contrat), placé où il en serait si l'autre outil avait fait le
travail échu : la branche du CRE à sa prochaine tâche non échue (appel, retour au référent,
visite), la branche du référent sur le minuteur du prochain contact mensuel non échu. Une
branche dont tout est échu n'est pas créée ; un contrat dont tout est échu, pas de processus.
"""

import datetime
from itertools import islice

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from parcours.accompagnement.enums import Statut
from parcours.emploi.models import Contrat
from parcours.referentiel.sections import suivi_emploi
from workflows.emploi.flows import HEURE_ECHEANCE, HEURE_MINUTEUR, SuiviContratFlow
from workflows.emploi.reactions import TYPES_SANS_SUIVI
from workflows.reprise.processus import Attente, tache_en_attente

FLUX = SuiviContratFlow
STATUTS_SUIVIS = (Statut.EN_EMPLOI, Statut.SORTIE_PROPOSEE)


def _a(jour, heure):
    return timezone.make_aware(datetime.datetime.combine(jour, heure))


def prochaine_tache_du_cre(contrat, delais, aujourdhui):
    """(nœud, jour d'échéance) de la première tâche du CRE non échue, ou None."""
    visite = contrat.fin_periode_essai or contrat.debut + datetime.timedelta(
        days=delais.visite_sans_essai_jours
    )
    etapes = (
        (FLUX.appel, contrat.debut + datetime.timedelta(days=delais.appel_jours)),
        (
            FLUX.retour_referent,
            contrat.debut + datetime.timedelta(days=delais.retour_referent_jours),
        ),
        (FLUX.visite, visite),
    )
    return next(((noeud, jour) for noeud, jour in etapes if jour >= aujourdhui), None)


def prochain_contact(contrat, delais, aujourdhui):
    """(rang, jour du minuteur) du premier contact mensuel non échu, ou None. Le minuteur du
    k-ième contact sonne une semaine avant le k-ième anniversaire (`SuiviContratFlow`)."""
    for rang in range(1, delais.contacts_mensuels + 1):
        jour = contrat.debut + relativedelta(months=rang, days=-7)
        if jour >= aujourdhui:
            return rang, jour
    return None


def _contrats_a_suivre(parcours, aujourdhui):
    par_pk = {p.pk: p for p in parcours if p.statut in STATUTS_SUIVIS}
    contrats = list(
        Contrat.objects.filter(parcours_id__in=list(par_pk))
        .filter(Q(fin__isnull=True) | Q(fin__gt=aujourdhui))
        .exclude(type__in=TYPES_SANS_SUIVI)
        .order_by("pk")
    )
    # Un contrat déjà suivi (suivi en cours ou fini) n'en reçoit pas d'autre : une relance qui
    # change les contrats d'un parcours ne crée que le suivi des contrats nouveaux.
    deja = set(
        Process.objects.filter(
            flow_class=FLUX,
            status__in=(PROCESS.NEW, PROCESS.DONE),
            artifact_object_id__in=list(par_pk),
        ).values_list("data__contrat", flat=True)
    )
    for contrat in contrats:
        contrat.parcours = par_pk[contrat.parcours_id]
    return [c for c in contrats if c.pk not in deja]


def creer_les_suivis_de_contrats(parcours, aujourdhui=None) -> int:
    """Les processus des contrats en cours de ces parcours ; quelques requêtes en tout (contrats,
    processus existants, référentiel par PLIE, quatre insertions groupées)."""
    aujourdhui = aujourdhui or timezone.localdate()
    contrats = _contrats_a_suivre(parcours, aujourdhui)
    delais = {}
    for plie_id in {c.parcours.plie_id for c in contrats}:
        debuts = [c.debut for c in contrats if c.parcours.plie_id == plie_id]
        delais[plie_id] = suivi_emploi.aux_dates(plie_id, debuts)
    maintenant = timezone.now()
    plans = []
    for contrat in contrats:
        d = delais[contrat.parcours.plie_id][contrat.debut]
        cre, contact = (
            prochaine_tache_du_cre(contrat, d, aujourdhui),
            prochain_contact(contrat, d, aujourdhui),
        )
        if cre is None and contact is None:
            continue
        process = Process(
            flow_class=FLUX,
            created=maintenant,
            data={"contrat": contrat.pk, "contacts": contact[0] if contact else 0},
        )
        process.artifact = contrat.parcours
        plans.append((contrat, process, cre, contact))
    if not plans:
        return 0
    Process.objects.bulk_create([p for _, p, _, _ in plans])
    fait = {"status": STATUS.DONE, "created": maintenant, "finished": maintenant}
    departs, repartitions = [], []
    for _, process, _, _ in plans:
        for noeud, liste in ((FLUX.start, departs), (FLUX.repartir, repartitions)):
            liste.append(
                Task(
                    process=process,
                    flow_task=noeud,
                    flow_task_type=noeud.task_type,
                    token=Token("start"),
                    started=maintenant,
                    **fait,
                )
            )
    Task.objects.bulk_create(departs + repartitions)
    branches, liens = [], []
    Lien = Task.previous.through
    for (contrat, process, cre, contact), depart, split in zip(
        plans, departs, repartitions, strict=True
    ):
        liens.append(Lien(from_task_id=split.pk, to_task_id=depart.pk))
        # Les jetons des deux branches, dans l'ordre des `.Next` de `repartir` (CRE, référent).
        jeton_cre, jeton_referent = islice(Token.split_token_source(split.token, split.pk), 2)
        if cre is not None:
            noeud, jour = cre
            echeance = {"echeance": _a(jour, HEURE_ECHEANCE).isoformat()}
            attente = Attente(contrat.parcours, FLUX.start, noeud, donnees_tache=echeance)
            branches.append((split, tache_en_attente(attente, process, maintenant, jeton_cre)))
        if contact is not None:
            attente = Attente(
                contrat.parcours,
                FLUX.start,
                FLUX.attendre_contact,
                minuteur=max(_a(contact[1], HEURE_MINUTEUR), maintenant),
            )
            branches.append((split, tache_en_attente(attente, process, maintenant, jeton_referent)))
    Task.objects.bulk_create([t for _, t in branches])
    liens += [Lien(from_task_id=t.pk, to_task_id=split.pk) for split, t in branches]
    Lien.objects.bulk_create(liens)
    return len(plans)
