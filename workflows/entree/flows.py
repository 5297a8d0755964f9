"""Le flux d'entrée en PLIE : qui doit agir ensuite, de la prescription au premier entretien.
Chaque nœud appelle un service ou une transition du domaine ; ses écrans sont dans `taches.py`."""

import contextlib

from django.contrib.auth import get_user_model
from viewflow import this
from viewflow.workflow import flow, lock

from parcours.accompagnement.enums import Statut
from parcours.commissions.errors import AucuneSessionPlanifiee
from parcours.commissions.services import inscrire_a_la_prochaine_session
from workflows import access, nodes
from workflows.access import ANIMER_PLIE
from workflows.entree.taches import (
    CompleterPrescriptionView,
    PremierEntretienView,
    RecevabiliteView,
)


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
        nodes.View(RecevabiliteView.as_view())
        .Annotation(
            title="Vérifier la recevabilité",
            description="Éligibilité et complétude de la prescription, par l'équipe d'animation.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Permission(ANIMER_PLIE, obj=lambda process: process.coerced.artifact.plie)
        .Droit(access.droit_d_animation)
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
        nodes.View(CompleterPrescriptionView.as_view())
        .Annotation(
            title="Compléter la prescription",
            description="Le prescripteur apporte les compléments demandés.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: _parcours(act).prescripteur)
        .Droit(access.droit_du_prescripteur)
        .Next(this.verifier_recevabilite)
    )

    irrecevable = flow.End().Annotation(title="Irrecevable")

    recevable = (
        flow.Function(this.placer_en_commission)
        .Annotation(title="Placer sur la prochaine commission d'entrée")
        .Next(this.decision_commission)
    )

    # La décision est prise sur l'écran de séance (workflows.commissions), qui fait avancer ce nœud.
    decision_commission = (
        flow.Handle()
        .Annotation(title="Décision de la commission d'entrée")
        .Next(this.aiguiller_decision)
    )

    aiguiller_decision = (
        flow.Switch()
        .Annotation(title="Admis, ajourné ou refusé")
        .Case(this.premier_entretien, lambda act: _parcours(act).statut == Statut.ADMIS)
        .Case(this.decision_commission, lambda act: _parcours(act).statut == Statut.AJOURNE)
        .Default(this.refuse)
    )

    premier_entretien = (
        nodes.View(PremierEntretienView.as_view())
        .Annotation(
            title="Premier entretien",
            description="Contrat d'engagement, questionnaire FSE+ et pièces d'entrée.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: _parcours(act).referent)
        .Droit(access.droit_du_referent)
        .Next(this.engage)
    )

    refuse = flow.End().Annotation(title="Refusé")
    engage = flow.End().Annotation(title="Accompagnement engagé")

    def demarrer(self, activation, parcours):
        activation.process.artifact = parcours
        return activation.process

    def placer_en_commission(self, activation):
        """Sur la prochaine séance de son territoire, s'il y en a une ; sinon l'animation le
        placera en construisant l'ordre du jour d'une séance."""
        parcours = _parcours(activation)
        acteur = parcours.transitions.order_by("-at", "-id").values_list("par", flat=True).first()
        with contextlib.suppress(AucuneSessionPlanifiee):
            inscrire_a_la_prochaine_session(parcours, par=get_user_model().objects.get(pk=acteur))

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated
