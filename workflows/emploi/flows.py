"""Le suivi dans l'emploi et la sortie : qui doit agir ensuite (docs/emploi.md).

- `SuiviContratFlow` (un processus par contrat enregistré) : les tâches du ou de la CRE (appel
  la première semaine, retour au référent sous 15 jours, visite avant la fin de la période
  d'essai), en file partagée par les CRE du PLIE, et les contacts mensuels du référent pendant
  les premiers mois (délais : section `suivi_emploi` du référentiel).
- `SortieFlow` (un processus par parcours en emploi) : un minuteur jusqu'à la date où les règles
  de sortie du PLIE seront remplies (`previsionnel_le`), recalculé à chaque changement des
  contrats → « Proposer la sortie » (référent) → décision de la commission de sortie (écran de
  séance) → « Saisir les données FSE de sortie » (référent, sous `suivi.fse_sortie_semaines`).

Les échéances des tâches sont posées à leur création dans `task.data["echeance"]` (lues par
`workflows.echeances`, donc par les boîtes de tâches et les relances). Les écrans des tâches sont
dans `taches.py` ; ce que les changements du domaine font à ces flux, dans `reactions.py`.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.emploi import services as emploi
from parcours.emploi import sortie
from parcours.emploi.models import Contrat
from parcours.referentiel.sections import suivi_emploi
from workflows import nodes
from workflows.access import (
    SUIVRE_EMPLOI_PLIE,
    droit_du_cre,
    droit_du_referent,
)
from workflows.emploi.taches import DonneesSortieTacheView, ProposerSortieTacheView, TacheSuiviView

HEURE_ECHEANCE = datetime.time(18, 0)
HEURE_MINUTEUR = datetime.time(7, 0)
# Sans date prévisible (aucune règle en vue), le minuteur revérifie la situation chaque mois.
REVERIFIER_APRES = relativedelta(months=1)


def _instant(date, heure=HEURE_ECHEANCE):
    return timezone.make_aware(datetime.datetime.combine(date, heure))


def _parcours(activation) -> Parcours:
    return activation.process.artifact


def _contrat(activation) -> Contrat:
    return Contrat.objects.get(pk=activation.process.data["contrat"])


def poser_echeance(activation, date) -> None:
    activation.task.data = {**activation.task.data, "echeance": _instant(date).isoformat()}
    activation.task.save(update_fields=["data"])


# — Suivi d'un contrat —


def _vue_cre():
    return (
        nodes.View(TacheSuiviView.as_view())
        # Pas de CRE par parcours : la tâche est dans la file des CRE du PLIE.
        .Permission(SUIVRE_EMPLOI_PLIE, obj=lambda process: process.coerced.artifact.plie)
        .Droit(droit_du_cre)
        .onCreate(this.fixer_echeance)
    )


class SuiviContratFlow(flow.Flow):
    """Suivi dans l'emploi d'un contrat : CRE (appel, retour, visite) et référent (contacts)."""

    process_title = "Suivi dans l'emploi"
    process_description = "Les six premiers mois d'un contrat : appels, visite, contacts mensuels."
    process_summary_template = "{{ process.artifact.participant }} — {{ process.artifact.plie }}"
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.demarrer).Annotation(title="Contrat enregistré").Next(this.repartir)
    )
    repartir = (
        flow.Split()
        .Annotation(title="CRE et référent")
        .Next(this.appel)
        .Next(this.attendre_contact)
    )

    appel = (
        _vue_cre()
        .Annotation(
            title="Appeler la personne (1re semaine)",
            description="Appel du CRE dans la première semaine du contrat.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Next(this.retour_referent)
    )
    retour_referent = (
        _vue_cre()
        .Annotation(
            title="Faire un retour au référent",
            description="Retour du CRE au référent dans les 15 jours du début du contrat.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Next(this.visite)
    )
    visite = (
        _vue_cre()
        .Annotation(
            title="Visiter en entreprise (avant la fin de l'essai)",
            description="Visite avant la fin de la période d'essai.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Next(this.fin_cre)
    )
    fin_cre = flow.End().Annotation(title="Suivi du CRE terminé")

    attendre_contact = (
        flow.Timer(this.date_du_contact)
        .Annotation(title="Attendre le prochain contact mensuel")
        .Next(this.contact_mensuel)
    )
    contact_mensuel = (
        nodes.View(TacheSuiviView.as_view())
        .Annotation(
            title="Contact mensuel dans l'emploi",
            description="Contact mensuel du référent pendant les premiers mois du contrat.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: _parcours(act).referent)
        .Droit(droit_du_referent)
        .onCreate(this.fixer_echeance)
        .Next(this.encore)
    )
    encore = (
        flow.Switch()
        .Annotation(title="Encore un mois de suivi ?")
        .Case(this.attendre_contact, this.reste_des_contacts)
        .Default(this.fin_contacts)
    )
    fin_contacts = flow.End().Annotation(title="Contacts mensuels terminés")

    def demarrer(self, activation, parcours, contrat):
        activation.process.artifact = parcours
        activation.process.data = {"contrat": contrat.pk, "contacts": 0}
        return activation.process

    def fixer_echeance(self, activation):
        contrat = _contrat(activation)
        delais = suivi_emploi.de(contrat.parcours.plie, contrat.debut)
        nom = activation.flow_task.name
        if nom == "appel":
            date = contrat.debut + datetime.timedelta(days=delais.appel_jours)
        elif nom == "retour_referent":
            date = contrat.debut + datetime.timedelta(days=delais.retour_referent_jours)
        elif nom == "visite":
            date = contrat.fin_periode_essai or contrat.debut + datetime.timedelta(
                days=delais.visite_sans_essai_jours
            )
        else:
            date = contrat.debut + relativedelta(months=activation.process.data["contacts"])
        poser_echeance(activation, date)

    def date_du_contact(self, activation):
        """Le k-ième contact mensuel : une semaine avant la date anniversaire du k-ième mois."""
        process = activation.process
        process.data["contacts"] = process.data.get("contacts", 0) + 1
        process.save(update_fields=["data"])
        contrat = _contrat(activation)
        date = contrat.debut + relativedelta(months=process.data["contacts"], days=-7)
        return max(_instant(date, HEURE_MINUTEUR), timezone.now())

    def reste_des_contacts(self, activation):
        contrat = _contrat(activation)
        delais = suivi_emploi.de(contrat.parcours.plie, contrat.debut)
        en_cours = contrat.fin is None or contrat.fin > timezone.localdate()
        parcours = contrat.parcours
        return (
            en_cours
            and parcours.statut in (Statut.EN_EMPLOI, Statut.SORTIE_PROPOSEE)
            and activation.process.data["contacts"] < delais.contacts_mensuels
        )

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


# — Sortie —


class SortieFlow(flow.Flow):
    """De l'emploi à la sortie : minuteur « critères remplis », proposition, commission, FSE+."""

    process_title = "Sortie du PLIE"
    process_description = "Proposition de sortie, commission de sortie, données FSE+ de sortie."
    process_summary_template = "{{ process.artifact.participant }} — {{ process.artifact.plie }}"
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.demarrer).Annotation(title="Premier contrat").Next(this.attente)
    # La sortie proposée sans attendre le minuteur (écran de proposition).
    start_proposee = (
        flow.StartHandle(this.demarrer).Annotation(title="Sortie proposée").Next(this.decision)
    )

    attente = (
        flow.Timer(this.date_prevue)
        .Annotation(title="Jusqu'à la date où les critères de sortie seront remplis")
        .Next(this.criteres)
    )
    criteres = (
        flow.Switch()
        .Annotation(title="Critères de sortie remplis ?")
        .Case(this.fin, lambda act: _parcours(act).statut in (Statut.SORTI, Statut.SORTIE_PROPOSEE))
        .Case(this.proposer, this.criteres_remplis)
        .Default(this.attente)
    )
    proposer = (
        nodes.View(ProposerSortieTacheView.as_view())
        .Annotation(
            title="Proposer la sortie",
            description="Les critères de sortie positive sont remplis : proposer la sortie.",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: _parcours(act).referent)
        .Droit(droit_du_referent)
        .onCreate(this.fixer_echeance)
        .Next(this.decision)
    )
    # La décision est prise sur l'écran de séance (workflows.commissions), qui avance ce nœud.
    decision = (
        flow.Handle().Annotation(title="Décision de la commission de sortie").Next(this.aiguiller)
    )
    aiguiller = (
        flow.Switch()
        .Annotation(title="Sortie validée ou refusée")
        .Case(this.donnees_fse, lambda act: _parcours(act).statut == Statut.SORTI)
        .Case(this.decision, lambda act: _parcours(act).statut == Statut.SORTIE_PROPOSEE)
        .Default(this.attente)
    )
    donnees_fse = (
        nodes.View(DonneesSortieTacheView.as_view())
        .Annotation(
            title="Saisir les données FSE de sortie",
            description="Situation à la sortie, dans les 4 semaines (FSE+).",
            summary_template="{{ process.artifact.participant }}",
        )
        .Assign(lambda act: _parcours(act).referent)
        .Droit(droit_du_referent)
        .onCreate(this.fixer_echeance)
        .Next(this.fin)
    )
    fin = flow.End().Annotation(title="Sorti")

    def demarrer(self, activation, parcours):
        activation.process.artifact = parcours
        return activation.process

    def date_prevue(self, activation):
        return instant_du_minuteur(_parcours(activation))

    def criteres_remplis(self, activation):
        return emploi.qualification_du_parcours(_parcours(activation)).qualifie

    def fixer_echeance(self, activation):
        parcours = _parcours(activation)
        if activation.flow_task.name == "donnees_fse":
            date = sortie.echeance_donnees_sortie(parcours) or timezone.localdate()
        else:
            jours = suivi_emploi.de(parcours.plie).proposer_sortie_jours
            date = timezone.localdate() + datetime.timedelta(days=jours)
        poser_echeance(activation, date)

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


# — La date du minuteur de sortie —


def instant_du_minuteur(parcours):
    return instant_de_la_qualification(emploi.qualification_du_parcours(parcours))


def instant_de_la_qualification(q):
    """Critères déjà remplis : maintenant ; sinon la date prévisionnelle ; sans date prévisible,
    dans un mois (nouvelle vérification)."""
    if q.qualifie:
        return timezone.now()
    if q.previsionnel_le is not None:
        return max(_instant(q.previsionnel_le, HEURE_MINUTEUR), timezone.now())
    return timezone.now() + REVERIFIER_APRES


# Les relances des tâches en retard (workflows.relances) : sujet et texte par nœud.
MESSAGES_RELANCE = {
    "appel": (
        "Appel de la première semaine en retard",
        "{p} a commencé un contrat : l'appel de la première semaine est attendu depuis le {d}.",
    ),
    "retour_referent": (
        "Retour au référent en retard",
        "Le retour au référent sur le début de contrat de {p} est attendu depuis le {d}.",
    ),
    "visite": (
        "Visite en entreprise en retard",
        "La visite de {p} en entreprise, avant la fin de la période d'essai, est attendue "
        "depuis le {d}.",
    ),
    "contact_mensuel": (
        "Contact mensuel en retard",
        "Le contact mensuel avec {p}, en emploi, est attendu depuis le {d}.",
    ),
    "proposer": (
        "Sortie à proposer",
        "Les critères de sortie de {p} sont remplis depuis le {d} : proposez la sortie.",
    ),
    "donnees_fse": (
        "Données FSE+ de sortie en retard",
        "La sortie de {p} a été validée : ses données FSE+ de sortie sont attendues depuis le "
        "{d}. La tâche « Saisir les données FSE de sortie » est dans votre boîte.",
    ),
}
