"""Les alertes de suivi comme tâches : « Traiter l'alerte » dans la boîte du référent.

`verifier_alertes` (commande du même nom, lancée périodiquement) confronte les conditions du
domaine (`parcours.accompagnement.alertes.constats`, une requête par type d'alerte) aux alertes
ouvertes :
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

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.db.models.fields.json import KeyTextTransform
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from parcours import acces
from parcours.accompagnement.dossier import TacheDossier
from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.core.form_mixins import SaisieControleeMixin
from parcours.dossier.alertes import STATUTS_ALERTE, Constat, TypeAlerte, constats
from workflows import access as workflows_access
from workflows import echeances, nodes
from workflows.taches import TacheMixin

logger = logging.getLogger(__name__)

HEURE_ECHEANCE = datetime.time(18, 0)
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


class TraiterAlerteForm(SaisieControleeMixin, forms.Form):
    commentaire = forms.CharField(
        label="Ce qui a été fait",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Par exemple : entretien fixé au 12/03, courrier de relance envoyé.",
    )


class TraiterAlerteView(TacheMixin, generic.FormView):
    """La tâche du référent : l'alerte, son explication, ce qu'il a fait."""

    template_name = "alertes/traiter.html"
    form_class = TraiterAlerteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.activation.process.data
        context.update(alerte=data, echeance=_echeance(data))
        return context

    def form_valid(self, form):
        process = self.request.activation.process
        process.data = {
            **process.data,
            "traitement": {
                "par": _nom(self.request.user),
                "le": timezone.now().isoformat(),
                "commentaire": form.cleaned_data["commentaire"],
            },
        }
        process.save(update_fields=["data"])
        self.request.activation.execute()
        messages.success(
            self.request,
            f"Alerte « {process.data['libelle']} » traitée pour {self.get_parcours().participant}.",
        )
        return HttpResponseRedirect(reverse("participants:dossier", args=[self.get_parcours().pk]))


class AlerteFlow(flow.Flow):
    """Une alerte de suivi : constatée par `verifier_alertes`, traitée par le référent ou levée
    d'elle-même quand sa condition disparaît."""

    process_title = "Alerte de suivi"
    process_description = (
        "Entretien mensuel, contact, étape, durée du parcours, RQTH, données FSE+ : ce que le "
        "référentiel du PLIE demande de surveiller."
    )
    process_summary_template = "{{ process.data.libelle }} — {{ process.artifact.participant }}"
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.ouvrir).Annotation(title="Alerte constatée").Next(this.traiter)

    traiter = (
        nodes.View(TraiterAlerteView.as_view())
        .Annotation(
            title="Traiter l'alerte",
            description="Le référent agit (entretien, relance, étape, données) et dit ce qu'il a "
            "fait.",
            summary_template="{{ process.data.libelle }} — {{ process.artifact.participant }}",
        )
        .Assign(lambda act: act.process.artifact.referent)
        .Droit(workflows_access.droit_du_referent)
        .onCreate(this.fixer_echeance)
        .Next(this.traitee)
    )

    traitee = flow.End().Annotation(title="Alerte traitée")

    def ouvrir(self, activation, parcours, constat: Constat):
        activation.process.artifact = parcours
        activation.process.data = {
            "type": constat.type,
            "libelle": constat.libelle,
            "cle": constat.cle,
            "raison": constat.raison,
            "echeance": timezone.make_aware(
                datetime.datetime.combine(constat.echeance, HEURE_ECHEANCE)
            ).isoformat(),
            "ouverte_le": timezone.now().isoformat(),
        }
        return activation.process

    def fixer_echeance(self, activation):
        # L'échéance de la tâche, là où les boîtes de tâches la lisent (workflows.echeances).
        activation.task.data = {
            **activation.task.data,
            "echeance": activation.process.data["echeance"],
        }
        activation.task.save(update_fields=["data"])

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated


def _nom(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _echeance(data: dict) -> datetime.datetime | None:
    valeur = data.get("echeance")
    return datetime.datetime.fromisoformat(valeur) if valeur else None


# — Vérification périodique —


@dataclass
class Bilan:
    ouvertes: list[tuple[int, str]] = field(default_factory=list)
    levees: list[tuple[int, str]] = field(default_factory=list)
    reassignees: int = 0

    def __str__(self):
        return (
            f"{len(self.ouvertes)} alerte(s) ouverte(s), {len(self.levees)} levée(s) "
            f"automatiquement, {self.reassignees} réassignée(s)."
        )


def _parcours_ct():
    return ContentType.objects.get_for_model(Parcours)


def processus_d_alerte(parcours_ids=None):
    qs = Process.objects.filter(flow_class=AlerteFlow, artifact_content_type=_parcours_ct())
    if parcours_ids is not None:
        qs = qs.filter(artifact_object_id__in=parcours_ids)
    return qs


def lever(process, raison: str) -> bool:
    """Lève une alerte ouverte : raison gardée dans ses données, tâche et processus annulés.

    Une tâche en cours d'exécution (formulaire en train d'être validé) ne se lève pas : la
    prochaine passe s'en chargera si la condition a toujours disparu."""
    try:
        with transaction.atomic():
            process.data = {
                **process.data,
                "levee": {
                    "le": timezone.now().isoformat(),
                    "raison": f"levée automatiquement : {raison}",
                },
            }
            process.save(update_fields=["data"])
            AlerteFlow.instance.cancel(process)
    except FlowRuntimeError:
        logger.warning("Alerte %s non levée : sa tâche est en cours d'exécution.", process.pk)
        return False
    logger.info("Alerte %s levée automatiquement : %s", process.pk, raison)
    return True


def _raison_de_levee(type_alerte: str, statut: str, constat: Constat | None) -> str:
    if constat is not None:
        # La situation a changé (nouvelle échéance, seuil suivant) : l'alerte ouverte laisse la
        # place à celle qui décrit la situation actuelle.
        return f"situation nouvelle — {constat.raison}"
    statut = Statut(statut)
    if statut not in STATUTS_ALERTE[TypeAlerte(type_alerte)]:
        return f"le parcours est désormais « {statut.label} »"
    return LEVEES[TypeAlerte(type_alerte)]


def verifier_alertes(aujourdhui: datetime.date | None = None, parcours=None) -> Bilan:
    """Ouvre les alertes dont la condition tient, lève celles dont la condition a disparu.

    `parcours` : un queryset pour limiter la vérification (tous les parcours par défaut). Les
    conditions coûtent une requête par type d'alerte ; chaque ouverture ou levée, quelques-unes.
    """
    aujourdhui = aujourdhui or timezone.localdate()
    parcours = Parcours.objects.all() if parcours is None else parcours
    bilan = Bilan()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU_VERIFICATION])
        tenues = {(c.parcours_id, c.type): c for c in constats(parcours, aujourdhui)}
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
        for pk, process in Process.objects.in_bulk(a_lever).items():
            pid, type_alerte = a_lever[pk]
            raison = _raison_de_levee(type_alerte, etats[pid], tenues.get((pid, type_alerte)))
            if lever(process, raison):
                bilan.levees.append((pid, type_alerte))
        encore_ouvertes = set(ouvertes) - set(bilan.levees)
        a_ouvrir = [
            c
            for cle, c in tenues.items()
            if cle not in encore_ouvertes and (c.parcours_id, c.type, c.cle) not in deja_signalees
        ]
        dossiers = Parcours.objects.select_related("referent", "participant").in_bulk(
            {c.parcours_id for c in a_ouvrir}
        )
        for c in a_ouvrir:
            dossier = dossiers[c.parcours_id]
            if dossier.referent_id is None:
                continue  # personne à qui l'assigner : l'alerte reste visible dans le dossier
            AlerteFlow.start.run(parcours=dossier, constat=c)
            bilan.ouvertes.append((c.parcours_id, c.type))
        bilan.reassignees = _suivre_le_referent(ids)
    return bilan


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


# — Lecture : dossier et accueil —

ETATS_TACHE = {
    STATUS.NEW: "à prendre",
    STATUS.ASSIGNED: "assignée",
    STATUS.STARTED: "en cours",
    STATUS.DONE: "terminée",
    STATUS.CANCELED: "annulée",
    STATUS.ERROR: "en erreur",
}


def taches_du_parcours(parcours: Parcours, user) -> list[TacheDossier]:
    """Les tâches viewflow d'un parcours (tous flux), avec leur échéance et, pour celles que
    l'utilisateur peut faire ou prendre, leur adresse. Une requête (plus les délais du PLIE)."""
    qs = (
        Task.objects.filter(
            process__artifact_content_type=_parcours_ct(),
            process__artifact_object_id=parcours.pk,
            flow_task_type="HUMAN",
        )
        .select_related("process", "owner")
        .order_by("created", "id")
    )
    qs = echeances.annoter(qs, [parcours.plie_id]).annotate(
        # Intérim : le suppléant exécute les tâches du titulaire (workflows.access).
        en_interim=ExpressionWrapper(
            workflows_access.filtre_taches_en_interim(user), output_field=BooleanField()
        )
    )
    resultat = []
    for t in qs:
        ouverte = t.status in (STATUS.NEW, STATUS.ASSIGNED)
        data = t.process.data if t.process.flow_class is AlerteFlow else {}
        titre = t.flow_task.task_title + (f" : {data['libelle']}" if data else "")
        url = ""
        if ouverte and t.status == STATUS.ASSIGNED and (t.owner_id == user.pk or t.en_interim):
            url = t.flow_task.reverse("execute", args=[t.process_id, t.pk])
        elif ouverte and t.status == STATUS.NEW and t.flow_task.can_assign(user, t):
            url = t.flow_task.reverse("assign", args=[t.process_id, t.pk])
        fermeture = ""
        if data.get("levee"):
            fermeture = data["levee"]["raison"]
        elif data.get("traitement"):
            fermeture = f"traitée : {data['traitement']['commentaire']}"
        resultat.append(
            TacheDossier(
                titre=titre,
                ouverte_le=t.created,
                fermee_le=t.finished,
                ouverte=ouverte,
                etat=ETATS_TACHE.get(t.status, t.status),
                responsable=_nom(t.owner),
                echeance=t.echeance or _echeance(t.data),
                url=url,
                alerte=data.get("type", ""),
                fermeture=fermeture,
            )
        )
    return resultat


def dossier_du_processus():
    """Expression : le parcours porté par le processus d'une tâche (None pour un autre objet)."""
    from django.db.models import Case, F, IntegerField, When

    return Case(
        When(process__artifact_content_type=_parcours_ct(), then=F("process__artifact_object_id")),
        default=None,
        output_field=IntegerField(),
    )


def compter_alertes(user) -> dict:
    """Les alertes ouvertes, par type : celles de l'utilisateur et, pour l'animation, celles
    des PLIE qu'il pilote. Deux requêtes au plus."""
    ouvertes = workflows_access.taches_visibles(user).filter(
        flow_task=AlerteFlow.traiter, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )

    def par_type(qs):
        comptes = dict(
            qs.annotate(type_alerte=KeyTextTransform("type", "process__data"))
            .values("type_alerte")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("type_alerte", "n")
        )
        return [(t.label, comptes[t.value]) for t in TypeAlerte if comptes.get(t.value)]

    pilote = bool(acces.perimetre(user).plies(acces.ROLES_PILOTAGE))
    return {
        "miennes": par_type(ouvertes.filter(owner=user)),
        "plie": par_type(ouvertes) if pilote else [],
    }
