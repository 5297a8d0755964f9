"""Les flux : qui doit agir ensuite. Chaque nœud appelle un service ou une transition du domaine."""

from viewflow import this
from viewflow.workflow import flow, lock

from parcours.accompagnement.enums import Statut
from workflows.access import ANIMER_PLIE
from workflows.taches import CompleterPrescriptionView, RecevabiliteView


def _parcours(activation):
    return activation.process.artifact


class EntreeFlow(flow.Flow):
    """Entrée en PLIE : prescription → recevabilité (→ compléments) → commission d'entrée."""

    process_title = "Entrée en PLIE"
    process_description = "De la prescription à la décision de recevabilité."
    process_summary_template = "{{ process.artifact.participant }} — {{ process.artifact.plie }}"
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.demarrer)
        .Annotation(title="Prescription reçue")
        .Next(this.verifier_recevabilite)
    )

    verifier_recevabilite = (
        flow.View(RecevabiliteView.as_view())
        .Annotation(
            title="Vérifier la recevabilité",
            description="Éligibilité et complétude de la prescription, par l'équipe d'animation.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Permission(ANIMER_PLIE, obj=lambda process: process.coerced.artifact.plie)
        .Next(this.aiguiller)
    )

    aiguiller = (
        flow.Switch()
        .Annotation(title="Décision de recevabilité")
        .Case(this.completer, lambda act: _parcours(act).statut == Statut.INCOMPLET)
        .Case(this.irrecevable, lambda act: _parcours(act).statut == Statut.IRRECEVABLE)
        .Default(this.recevable)
    )

    completer = (
        flow.View(CompleterPrescriptionView.as_view())
        .Annotation(
            title="Compléter la prescription",
            description="Le prescripteur apporte les compléments demandés.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: _parcours(act).prescripteur)
        .Next(this.verifier_recevabilite)
    )

    irrecevable = flow.End().Annotation(title="Irrecevable")
    # La suite (inscription en commission d'entrée, décision, engagement) s'ajoute ici.
    recevable = flow.End().Annotation(title="Recevable")

    def demarrer(self, activation, parcours):
        activation.process.artifact = parcours
        return activation.process

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated
