"""Le flux d'une candidature sur une clause sociale : qui agit ensuite (docs/clauses.md).

Le facilitateur enregistre un besoin et le diffuse (courriel aux référents et prescripteurs du
PLIE) ; un référent, un prescripteur ou le facilitateur propose une personne
(`views.candidatures.ProposerView`), ce qui démarre `CandidatureFlow` :

    vérifier l'éligibilité (facilitateur) → non éligible : fin
      → positionner auprès de l'entreprise (facilitateur)
      → décision de l'entreprise (le facilitateur l'enregistre) → non retenue : fin
      → embauche (facilitateur) → pour un participant : inscrire l'embauche au parcours
        (contrat et étape, par son référent) → fin

Chaque nœud appelle un service de `parcours.clauses.services`, sous le verrou du processus ; ses
écrans sont dans `views/taches.py`. Le viewset du flux est déclaré dans `application.py`.
"""

from viewflow import this
from viewflow.workflow import flow, lock

from parcours import acces
from parcours.clauses import services
from parcours.clauses.enums import StatutPositionnement
from parcours.clauses.models import Positionnement
from workflows import nodes
from workflows.access import artefact_frais
from workflows.clauses.views.taches import (
    DecisionEntrepriseView,
    EmbaucheView,
    InscrireAuParcoursView,
    PositionnerView,
    VerifierEligibiliteView,
)


def _positionnement(activation) -> Positionnement:
    return activation.process.artifact


def _facilitateur(activation):
    return _positionnement(activation).besoin.facilitateur


def _referent_a_informer(activation):
    parcours = services.parcours_du_positionnement(_positionnement(activation))
    return parcours.referent if parcours is not None else None


def _droit_de_facilitation(user, task) -> bool:
    """Les tâches du facilitateur : facilitateur (ou admin) actif dans le PLIE du marché."""
    positionnement = artefact_frais(task, Positionnement)
    return positionnement is not None and acces.peut_faciliter(
        user, positionnement.besoin.marche.plie_id
    )


_droit_de_facilitation.roles = acces.ROLES_FACILITATION  # filtre « type » des boîtes


def _droit_du_referent(user, task) -> bool:
    """Inscrire l'embauche au parcours : qui agit comme référent sur ce parcours aujourd'hui."""
    positionnement = artefact_frais(task, Positionnement)
    parcours = positionnement and services.parcours_du_positionnement(positionnement)
    return parcours is not None and acces.peut_effectuer(user, parcours, acces.ROLES_REFERENT)


_droit_du_referent.roles = acces.ROLES_REFERENT


class CandidatureFlow(flow.Flow):
    """Une candidature sur un besoin : éligibilité, positionnement, décision, embauche."""

    process_title = "Candidature sur une clause"
    process_description = "De la proposition d'un candidat à son embauche par l'entreprise."
    process_summary_template = "{{ process.artifact }}"
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.demarrer)
        .Annotation(title="Candidature proposée")
        .Next(this.verifier_eligibilite)
    )

    verifier_eligibilite = (
        nodes.View(VerifierEligibiliteView.as_view())
        .Annotation(
            title="Vérifier l'éligibilité à la clause",
            description="Le facilitateur confirme l'éligibilité, l'explication sous les yeux.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.aiguiller_eligibilite)
    )

    aiguiller_eligibilite = (
        flow.Switch()
        .Annotation(title="Éligible ?")
        .Case(
            this.non_eligible,
            lambda act: _positionnement(act).statut == StatutPositionnement.NON_ELIGIBLE,
        )
        .Default(this.positionner)
    )

    positionner = (
        nodes.View(PositionnerView.as_view())
        .Annotation(
            title="Positionner auprès de l'entreprise",
            description="Le facilitateur présente la candidature (CV validé) à l'entreprise.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.decision_entreprise)
    )

    decision_entreprise = (
        nodes.View(DecisionEntrepriseView.as_view())
        .Annotation(
            title="Décision de l'entreprise",
            description="Retenue ou non retenue (avec le motif), après l'entretien.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.aiguiller_decision)
    )

    aiguiller_decision = (
        flow.Switch()
        .Annotation(title="Retenue ?")
        .Case(
            this.non_retenue,
            lambda act: _positionnement(act).statut == StatutPositionnement.NON_RETENUE,
        )
        .Default(this.embauche)
    )

    embauche = (
        nodes.View(EmbaucheView.as_view())
        .Annotation(
            title="Enregistrer l'embauche",
            description="Date, type de contrat, employeur : l'embauche de la personne retenue.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_facilitateur)
        .Droit(_droit_de_facilitation)
        .Next(this.aiguiller_embauche)
    )

    aiguiller_embauche = (
        flow.Switch()
        .Annotation(title="Participant du PLIE ?")
        .Case(this.inscrire_au_parcours, lambda act: _referent_a_informer(act) is not None)
        .Default(this.embauchee)
    )

    inscrire_au_parcours = (
        nodes.View(InscrireAuParcoursView.as_view())
        .Annotation(
            title="Inscrire l'embauche au parcours",
            description="Le référent enregistre le contrat et l'étape emploi du participant.",
            summary_template="{{ process.artifact }}",
        )
        .Assign(_referent_a_informer)
        .Droit(_droit_du_referent)
        .Next(this.embauchee)
    )

    non_eligible = flow.End().Annotation(title="Non éligible")
    non_retenue = flow.End().Annotation(title="Non retenue")
    embauchee = flow.End().Annotation(title="Embauchée")

    def demarrer(self, activation, positionnement):
        activation.process.artifact = positionnement
        return activation.process

    def has_view_permission(self, user, obj=None):
        # La visibilité par processus est appliquée par workflows.viewsets (404 hors périmètre).
        return user.is_authenticated
