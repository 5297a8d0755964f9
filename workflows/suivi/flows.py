"""Les flux du suivi : les relances après une absence injustifiée et l'échéance d'une suspension.

Quand un entretien est enregistré avec une absence injustifiée (service
`parcours.accompagnement.suivi.enregistrer_entretien`, signal `absence_injustifiee`), un processus
`SuiviAbsenceFlow` crée une tâche « Relancer après une absence » par relance de la section
`suivi.absence_injustifiee` du référentiel (par défaut : un courrier la semaine de l'absence, un
appel la semaine suivante : seed 002:L391), chacune assignée au référent du parcours et datée
(`task.data["echeance"]` = jour de l'absence + `delai_jours`, lu par les boîtes de tâches et les
relances : workflows/echeances.py). Faire la relance enregistre le contact (courrier, appel) dans
les entretiens du parcours et termine la tâche (écrans : workflows/suivi/taches.py).

À la fin prévue d'une suspension, `SuspensionFlow` propose au référent de la renouveler ou de la
lever. Les récepteurs des signaux du suivi (`parcours.accompagnement.suivi.signaux`) démarrent
ces flux, ajustent le minuteur et transmettent les tâches au nouveau référent.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from parcours.accompagnement import suivi
from parcours.accompagnement.models import Parcours
from workflows import access, nodes
from workflows.alertes.flows import AlerteFlow
from workflows.suivi.taches import EcheanceSuspensionView, RelanceView, suspension_du_processus

HEURE_ECHEANCE = datetime.time(18, 0)
# Messages des relances par courriel des tâches en retard (workflows/relances.py).
MESSAGES_RELANCE = {
    "relancer_absence": (
        "Relance après une absence en retard",
        "Une relance après l'absence injustifiée de {p} attend depuis le {d}. La tâche "
        "« Relancer après une absence » est dans votre boîte.",
    ),
    "renouveler_ou_lever": (
        "Suspension arrivée à échéance",
        "La suspension du parcours de {p} est arrivée à sa fin prévue (tâche du {d}) : la "
        "tâche « Renouveler ou lever la suspension » est dans votre boîte.",
    ),
}


def _echeance(jour: datetime.date, delai_jours: int) -> str:
    instant = datetime.datetime.combine(jour + datetime.timedelta(days=delai_jours), HEURE_ECHEANCE)
    return timezone.make_aware(instant).isoformat()


# — Relances après une absence injustifiée —


class SuiviAbsenceFlow(flow.Flow):
    """Absence injustifiée → une tâche par relance du référentiel, chez le référent."""

    process_title = "Relances après une absence"
    process_description = "Les relances du référentiel après une absence injustifiée."
    process_summary_template = "{{ process.artifact.participant }} — {{ process.artifact.plie }}"
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.demarrer)
        .Annotation(title="Absence injustifiée enregistrée")
        .Next(this.relances)
    )

    relances = (
        nodes.SplitParDonnees()
        .Annotation(title="Relances prévues par le référentiel")
        .Next(this.relancer_absence, data_source=this.relances_du_referentiel)
    )

    relancer_absence = (
        nodes.View(RelanceView.as_view())
        .Annotation(
            title="Relancer après une absence",
            description="Courrier, appel : les relances du référentiel après une absence.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: act.process.artifact.referent)
        .Droit(access.droit_du_referent)
        .Next(this.fin)
    )

    fin = flow.End().Annotation(title="Relances faites")

    def demarrer(self, activation, entretien):
        activation.process.artifact = entretien.parcours
        # Seulement des identifiants et des dates : pas de données personnelles dans le flux.
        activation.process.data = {
            "entretien": entretien.pk,
            "date_absence": timezone.localdate(entretien.date).isoformat(),
        }
        return activation.process

    def relances_du_referentiel(self, activation):
        process = activation.process
        jour = datetime.date.fromisoformat(process.data["date_absence"])
        delais = suivi.delais_de_suivi(process.artifact.plie_id, jour)
        return [
            {
                "action": r.action,
                "libelle": r.libelle,
                "delai_jours": r.delai_jours,
                "echeance": _echeance(jour, r.delai_jours),
            }
            for r in delais.absence_injustifiee
        ]

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated


@receiver(suivi.absence_injustifiee)
def relancer_apres_absence(sender, entretien, par, **kwargs):
    """Dans la transaction de l'enregistrement : sans référent ni relance prévue, rien à faire."""
    parcours = entretien.parcours
    if parcours.referent_id is None:
        return
    if not suivi.delais_de_suivi(
        parcours.plie_id, timezone.localdate(entretien.date)
    ).absence_injustifiee:
        return
    SuiviAbsenceFlow.start.run(entretien=entretien)


# — Échéance d'une suspension : renouveler ou lever —

HEURE_MINUTEUR = datetime.time(7, 0)


class SuspensionFlow(flow.Flow):
    """Suspension (veille) → à sa fin prévue, « Renouveler ou lever la suspension » chez le
    référent ; un renouvellement réarme le minuteur, une levée termine le processus."""

    process_title = "Suspension du parcours"
    process_description = "À la fin prévue d'une suspension, la renouveler ou la lever."
    process_summary_template = "{{ process.artifact.participant }} — {{ process.artifact.plie }}"
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.demarrer).Annotation(title="Parcours suspendu").Next(this.attendre)
    )
    attendre = (
        flow.Timer(this.fin_prevue)
        .Annotation(title="Attendre la fin prévue de la suspension")
        .Next(this.encore_suspendu)
    )
    encore_suspendu = (
        flow.Switch()
        .Annotation(title="Toujours suspendu ?")
        .Case(this.renouveler_ou_lever, lambda act: suspension_du_processus(act).en_cours)
        .Default(this.fin)
    )
    renouveler_ou_lever = (
        nodes.View(EcheanceSuspensionView.as_view())
        .Annotation(
            title="Renouveler ou lever la suspension",
            description="La suspension arrive à la fin prévue : la renouveler ou la lever.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: act.process.artifact.referent)
        .Droit(access.droit_du_referent)
        .onCreate(this.fixer_echeance)
        .Next(this.apres_decision)
    )
    apres_decision = (
        flow.Switch()
        .Annotation(title="Renouvelée ?")
        .Case(this.attendre, lambda act: suspension_du_processus(act).en_cours)
        .Default(this.fin)
    )
    fin = flow.End().Annotation(title="Suspension levée")

    def demarrer(self, activation, suspension):
        activation.process.artifact = suspension.parcours
        activation.process.data = {"suspension": suspension.pk}
        return activation.process

    def fin_prevue(self, activation):
        jour = suspension_du_processus(activation).fin_prevue
        return timezone.make_aware(datetime.datetime.combine(jour, HEURE_MINUTEUR))

    def fixer_echeance(self, activation):
        jour = max(suspension_du_processus(activation).fin_prevue, timezone.localdate())
        activation.task.data = {**activation.task.data, "echeance": _echeance(jour, 0)}
        activation.task.save(update_fields=["data"])

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated


def _minuteurs_de(suspension):
    return SuspensionFlow.task_class.objects.filter(
        process__flow_class=SuspensionFlow,
        process__data__suspension=suspension.pk,
        flow_task=SuspensionFlow.attendre,
        status=STATUS.SCHEDULED,
    )


@receiver(suivi.suspension_commencee)
def suivre_la_suspension(sender, suspension, par, **kwargs):
    if suspension.parcours.referent_id is not None:
        SuspensionFlow.start.run(suspension=suspension)


@receiver(suivi.suspension_renouvelee)
def reporter_le_minuteur(sender, suspension, par, **kwargs):
    """Renouvelée depuis la page du suivi : le minuteur en attente suit la nouvelle fin."""
    instant = datetime.datetime.combine(suspension.fin_prevue, HEURE_MINUTEUR)
    _minuteurs_de(suspension).update(scheduled=timezone.make_aware(instant))


@receiver(suivi.suspension_levee)
def arreter_le_minuteur(sender, suspension, par, **kwargs):
    """Levée avant sa fin prévue : plus rien à décider, le processus est annulé."""
    for tache in _minuteurs_de(suspension).select_related("process"):
        SuspensionFlow.instance.cancel(tache.process)


# — Changement de référent : ses tâches ouvertes sur ces dossiers passent au nouveau —


# Les alertes suivent le référent à chaque passe de `verifier_alertes`, qui compte ces
# réaffectations (workflows/alertes/verification.py) : elles ne sont pas transmises ici.
FLUX_SUIVANT_LE_REFERENT = AlerteFlow


@receiver(suivi.referent_change)
def transmettre_les_taches(sender, changements, par, **kwargs):
    """Les tâches assignées à l'ancien référent sur les dossiers réaffectés (premier entretien,
    relances, suspension…) passent au nouveau ; une requête par ancien référent."""
    par_ancien: dict[int, list[int]] = {}
    for c in changements:
        if c.ancien_id is not None:
            par_ancien.setdefault(c.ancien_id, []).append(c.parcours_id)
    type_parcours = ContentType.objects.get_for_model(Parcours)
    nouveau = changements[0].nouveau
    for ancien_id, parcours_ids in par_ancien.items():
        Task.objects.filter(
            process__artifact_content_type=type_parcours,
            process__artifact_object_id__in=parcours_ids,
            owner_id=ancien_id,
            status=STATUS.ASSIGNED,
        ).exclude(process__flow_class=FLUX_SUIVANT_LE_REFERENT).update(owner=nouveau)
