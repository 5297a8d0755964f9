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
`workflows.echeances`, donc par les boîtes de tâches et les relances).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import CanalContact, Statut
from parcours.accompagnement.models import Parcours
from parcours.core.roles import ROLES_SUIVI
from parcours.emploi import services as emploi
from parcours.emploi import sortie
from parcours.emploi.forms import CompteRenduForm, DonneesSortieForm, PropositionSortieForm
from parcours.emploi.models import Contrat
from parcours.referentiel.sections import suivi_emploi
from workflows import nodes
from workflows.access import (
    SUIVRE_EMPLOI_PLIE,
    droit_du_cre,
    droit_du_referent,
)
from workflows.taches import ERREURS_METIER, TacheMixin
from workflows.viewsets import FluxViewset

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


# Ce que chaque tâche de suivi enregistre au dossier : le canal du contact avec la personne.
# Le retour au référent n'en est pas un (le CRE informe le référent, pas la personne) : il reste
# dans la tâche, sans remettre à zéro l'alerte « sans contact ». Le contact mensuel : le canal
# choisi par le référent.
CANAL_DU_CONTACT = {
    "appel": CanalContact.TELEPHONE,
    "visite": CanalContact.PHYSIQUE_INDIVIDUEL,
}


class ContactMensuelForm(CompteRenduForm):
    canal = forms.ChoiceField(
        label="Canal du contact", choices=CanalContact.choices, initial=CanalContact.TELEPHONE
    )


def _instant_du_contact(jour: datetime.date) -> datetime.datetime:
    """Un contact du jour : maintenant ; d'un jour passé : à midi (l'heure n'est pas saisie)."""
    if jour == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(12, 0)))


class TacheSuiviView(TacheMixin, generic.FormView):
    """Un contact de suivi dans l'emploi (appel, retour, visite, contact mensuel) : sa date et
    son compte rendu, gardés dans la tâche (qui, quand : la tâche viewflow) ; un contact avec la
    personne est aussi enregistré au dossier (`suivi.enregistrer_contact_emploi`, même
    transaction que la fin de la tâche)."""

    template_name = "emploi/tache_suivi.html"

    def get_form_class(self):
        if self.request.activation.flow_task.name == "contact_mensuel":
            return ContactMensuelForm
        return CompteRenduForm

    def get_initial(self):
        return {"date_contact": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contrat"] = Contrat.objects.filter(
            pk=self.request.activation.process.data.get("contrat")
        ).first()
        echeance = self.request.activation.task.data.get("echeance")
        context["echeance"] = datetime.datetime.fromisoformat(echeance) if echeance else None
        return context

    def enregistrer_contact(self, form, canal):
        """L'entretien du dossier ; `None` (erreurs dans le formulaire) s'il est refusé."""
        try:
            return suivi.enregistrer_contact_emploi(
                self.get_parcours(),
                self.request.user,
                date=_instant_du_contact(form.cleaned_data["date_contact"]),
                canal=canal,
                note=form.cleaned_data["compte_rendu"],
            )
        except ValidationError as exc:
            for champ, liste in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                champ = {"date": "date_contact", "note": "compte_rendu"}.get(champ, champ)
                for m in liste:
                    form.add_error(champ if champ in form.fields else None, m)
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
        return None

    def form_valid(self, form):
        tache = self.request.activation.task
        donnees = {
            "date_contact": form.cleaned_data["date_contact"].isoformat(),
            "compte_rendu": form.cleaned_data["compte_rendu"],
        }
        canal = form.cleaned_data.get("canal") or CANAL_DU_CONTACT.get(tache.flow_task.name)
        if canal:
            entretien = self.enregistrer_contact(form, canal)
            if entretien is None:
                return self.form_invalid(form)
            donnees["entretien"] = entretien.pk
        tache.data = {**tache.data, **donnees}
        tache.save(update_fields=["data"])
        titre = self.request.activation.flow_task.task_title
        return self.terminer(
            f"{titre} : compte rendu enregistré pour {self.get_parcours().participant}."
        )


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


class ProposerSortieMixin:
    template_name = "emploi/proposer_sortie.html"
    form_class = PropositionSortieForm

    def get_initial(self):
        parcours = self.get_parcours()
        q = emploi.qualification_du_parcours(parcours)
        initial = {"date_sortie": timezone.localdate()}
        if q.qualifie:
            initial["type_sortie"] = "emploi_durable"
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context.update(
            parcours=parcours,
            participant=parcours.participant,
            qualification=(q := emploi.qualification_du_parcours(parcours)),
            categorie_sortie=emploi.libelle_categorie(q),
            contrats=list(parcours.contrats.all()),
            propositions=list(parcours.propositions_sortie.select_related("proposee_par")),
        )
        return context

    def proposer(self, form):
        """La proposition ; `None` (et le formulaire réaffiché avec l'erreur) si elle est
        refusée."""
        d = form.cleaned_data
        try:
            return sortie.proposer_la_sortie(
                self.get_parcours(),
                par=self.request.user,
                type_sortie=d["type_sortie"],
                date_sortie=d["date_sortie"],
                commentaire=d["commentaire"],
                relais=d["relais"],
                justificatif=d.get("justificatif"),
            )
        except sortie.SortieInvalide as exc:
            _erreurs_dans(form, exc)
        except (sortie.SortieNonAutorisee, *ERREURS_METIER) as exc:
            form.add_error(None, str(exc))
        return None

    @staticmethod
    def message(proposition):
        parcours = proposition.parcours
        inscription = (
            parcours.inscriptions_commission.filter(objet="sortie")
            .select_related("session")
            .order_by("-id")
            .first()
        )
        texte = (
            f"Sortie de {parcours.participant} proposée ({proposition.get_type_sortie_display()})"
        )
        if inscription and inscription.session.est_ouverte:
            return texte + f" : inscrite à la {inscription.session.libelle}."
        return texte + " : aucune commission de sortie planifiée, l'animation l'inscrira."


def _erreurs_dans(form, exc):
    for champ, liste in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        for m in liste:
            form.add_error(champ if champ in form.fields else None, m)


class ProposerSortieTacheView(ProposerSortieMixin, TacheMixin, generic.FormView):
    def form_valid(self, form):
        proposition = self.proposer(form)
        if proposition is None:
            return self.form_invalid(form)
        return self.terminer(self.message(proposition))


class DonneesSortieMixin:
    template_name = "emploi/donnees_sortie.html"
    form_class = DonneesSortieForm

    def get_initial(self):
        parcours = self.get_parcours()
        existantes = getattr(parcours, "donnees_sortie_fse", None)
        if existantes is not None:
            return {champ: getattr(existantes, champ) for champ in sortie.CHAMPS_FSE}
        contrat = parcours.contrats.order_by("-debut").first()
        if contrat and parcours.type_sortie == "emploi_durable":
            return {
                "situation": "emploi",
                "type_contrat": contrat.type,
                "employeur": contrat.employeur,
            }
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context.update(
            parcours=parcours,
            participant=parcours.participant,
            echeance_fse=sortie.echeance_donnees_sortie(parcours),
            aujourdhui=timezone.localdate(),
        )
        return context

    def saisir(self, form):
        try:
            return sortie.saisir_donnees_sortie(
                self.get_parcours(), par=self.request.user, **form.cleaned_data
            )
        except sortie.SortieInvalide as exc:
            _erreurs_dans(form, exc)
        except sortie.SortieNonAutorisee as exc:
            form.add_error(None, str(exc))
        return None


class DonneesSortieTacheView(DonneesSortieMixin, TacheMixin, generic.FormView):
    def form_valid(self, form):
        if self.saisir(form) is None:
            return self.form_invalid(form)
        return self.terminer(
            f"Données FSE+ de sortie de {self.get_parcours().participant} enregistrées."
        )


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


# — Les URL des deux flux : en plus du périmètre des processus, celui de l'emploi —


class FluxEmploiViewset(FluxViewset):
    # Le prescripteur voit le dossier qu'il a prescrit, pas le suivi dans l'emploi.
    droit_sur_le_processus = staticmethod(acces.peut_voir_emploi)


# — Ce que les changements du domaine font aux flux —


def instant_du_minuteur(parcours):
    """Critères déjà remplis : maintenant ; sinon la date prévisionnelle ; sans date prévisible,
    dans un mois (nouvelle vérification)."""
    q = emploi.qualification_du_parcours(parcours)
    if q.qualifie:
        return timezone.now()
    if q.previsionnel_le is not None:
        return max(_instant(q.previsionnel_le, HEURE_MINUTEUR), timezone.now())
    return timezone.now() + REVERIFIER_APRES


def _processus_actifs(flow_class, parcours):
    return flow_class.process_class.objects.filter(
        flow_class=flow_class,
        artifact_content_type=ContentType.objects.get_for_model(Parcours),
        artifact_object_id=parcours.pk,
        status=STATUS.NEW,
    )


def _tache_ouverte(flow_class, parcours, noeud, statuts=(STATUS.NEW, STATUS.ASSIGNED)):
    return (
        flow_class.task_class.objects.filter(
            process__in=_processus_actifs(flow_class, parcours),
            flow_task=noeud,
            status__in=statuts,
        )
        .order_by("-id")
        .first()
    )


def recalculer_minuteur(parcours) -> None:
    """Les contrats ont changé : le minuteur de sortie suit la nouvelle date prévisionnelle ;
    s'il n'y a pas encore de processus de sortie, il démarre."""
    if not _processus_actifs(SortieFlow, parcours).exists():
        if parcours.statut in (Statut.EN_EMPLOI, Statut.EN_ACCOMPAGNEMENT, Statut.SUSPENDU):
            SortieFlow.start.run(parcours=parcours)
        return
    minuteur = _tache_ouverte(SortieFlow, parcours, SortieFlow.attente, (STATUS.SCHEDULED,))
    if minuteur is not None:
        with SortieFlow.lock(minuteur.process_id):
            minuteur.scheduled = instant_du_minuteur(parcours)
            minuteur.save(update_fields=["scheduled"])


# Pas d'employeur à appeler ni à visiter : pas de suivi du CRE (le minuteur de sortie, si).
TYPES_SANS_SUIVI = ("formation_qualifiante", "creation_entreprise")


@receiver(emploi.contrats_modifies)
def _contrats_modifies(sender, parcours, contrat, par, action, **kwargs):
    if action == "enregistre" and contrat.type not in TYPES_SANS_SUIVI:
        SuiviContratFlow.start.run(parcours=parcours, contrat=contrat)
    recalculer_minuteur(parcours)


def _executer(tache) -> None:
    """Termine une tâche humaine ouverte quand son travail a été fait sur un autre écran."""
    with tache.activation() as activation:
        if tache.status == STATUS.NEW:
            activation.assign(tache.owner)
        activation.start(None)
        activation.execute()


def apres_proposition(parcours) -> None:
    """La sortie a été proposée hors de la tâche « Proposer la sortie » : le flux de sortie
    attend maintenant la commission."""
    tache = _tache_ouverte(SortieFlow, parcours, SortieFlow.proposer)
    if tache is not None:
        _executer(tache)
        return
    for process in _processus_actifs(SortieFlow, parcours):
        SortieFlow.instance.cancel(process)
    SortieFlow.start_proposee.run(parcours=parcours)


def apres_donnees_sortie(parcours) -> None:
    tache = _tache_ouverte(SortieFlow, parcours, SortieFlow.donnees_fse)
    if tache is not None:
        _executer(tache)


def avancer_flux_sortie(parcours) -> None:
    """Décision de la commission de sortie : le flux passe à la suite (données FSE+ ou retour en
    attente) ; à la sortie, le suivi dans l'emploi s'arrête."""
    tache = _tache_ouverte(SortieFlow, parcours, SortieFlow.decision, (STATUS.NEW,))
    if tache is not None:
        SortieFlow.decision.run(tache)
    if parcours.statut == Statut.SORTI:
        for process in _processus_actifs(SuiviContratFlow, parcours):
            SuiviContratFlow.instance.cancel(process)


# — Écrans hors tâche (application « emploi ») —


class ParcoursEmploiMixin(LoginRequiredMixin):
    """Le parcours de l'URL : 404 s'il n'est pas dans le périmètre emploi de l'utilisateur."""

    def get_parcours(self):
        if not hasattr(self, "_parcours"):
            parcours = get_object_or_404(
                Parcours.objects.select_related("participant", "plie", "referent"),
                pk=self.kwargs["parcours_pk"],
            )
            if not acces.peut_voir_emploi(self.request.user, parcours):
                raise Http404("Aucun parcours ne correspond à cette adresse.")
            self._parcours = parcours
        return self._parcours

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.get_parcours()
        return super().dispatch(request, *args, **kwargs)


class ProposerSortieView(ProposerSortieMixin, ParcoursEmploiMixin, generic.FormView):
    def get(self, request, *args, **kwargs):
        self._exiger_droit()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._exiger_droit()
        return super().post(request, *args, **kwargs)

    def _exiger_droit(self):
        if not sortie.peut_proposer(self.request.user, self.get_parcours()):
            raise PermissionDenied("Seuls le référent et l'animation proposent une sortie.")

    def form_valid(self, form):
        with transaction.atomic():
            proposition = self.proposer(form)
            if proposition is None:
                return self.form_invalid(form)
            apres_proposition(proposition.parcours)
        messages.success(self.request, self.message(proposition))
        return HttpResponseRedirect(reverse("emploi:contrats", args=[proposition.parcours_id]))


class DonneesSortieView(DonneesSortieMixin, ParcoursEmploiMixin, generic.FormView):
    def get(self, request, *args, **kwargs):
        self._exiger_droit()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._exiger_droit()
        return super().post(request, *args, **kwargs)

    def _exiger_droit(self):
        if not acces.peut_effectuer(self.request.user, self.get_parcours(), ROLES_SUIVI):
            raise PermissionDenied("Seuls le référent et l'animation saisissent ces données.")

    def form_valid(self, form):
        with transaction.atomic():
            if self.saisir(form) is None:
                return self.form_invalid(form)
            apres_donnees_sortie(self.get_parcours())
        messages.success(
            self.request,
            f"Données FSE+ de sortie de {self.get_parcours().participant} enregistrées.",
        )
        return HttpResponseRedirect(reverse("emploi:contrats", args=[self.get_parcours().pk]))


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
