"""Les écrans des tâches du flux d'entrée : recevabilité et compléments."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import generic

from parcours.accompagnement.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.services import accorder_derogation, evaluer_eligibilite
from parcours.courriels.services import envoyer_courriel
from parcours.participants.doublons import separer_par_perimetre, trouver_doublons
from workflows.forms import RecevabiliteForm, SituationForm

ERREURS_METIER = (
    TransitionInterdite,
    TransitionNonAutorisee,
    DonneesTransitionInvalides,
    ConflitTransition,
)


class TacheMixin:
    """Une tâche viewflow portant un parcours : le parcours est relu avec son état courant."""

    def get_parcours(self):
        if not hasattr(self, "_parcours"):
            pk = self.request.activation.process.artifact_object_id
            self._parcours = (
                Parcours.objects.select_related(
                    "participant", "plie", "territoire", "prescripteur", "prescription"
                )
                .prefetch_related("prescription__statuts")
                .get(pk=pk)
            )
        return self._parcours

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context.update(
            parcours=parcours,
            prescription=parcours.prescription,
            participant=parcours.participant,
            tache=self.request.activation.task,
            titre=self.request.activation.flow_task.task_title,
        )
        return context

    def terminer(self, message):
        self.request.activation.execute()
        messages.success(self.request, message)
        return HttpResponseRedirect(reverse("accueil:index"))


class RecevabiliteView(TacheMixin, generic.FormView):
    template_name = "workflows/recevabilite.html"
    form_class = RecevabiliteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = self.get_parcours().participant
        correspondances = trouver_doublons(
            participant.nom,
            participant.prenom,
            participant.date_naissance,
            participant.commune_insee,
            exclure=participant,
        )
        context["doublons"], context["doublons_hors_perimetre"] = separer_par_perimetre(
            correspondances, self.request.user
        )
        return context

    def form_valid(self, form):
        parcours = self.get_parcours()
        decision, motif = form.cleaned_data["decision"], form.cleaned_data["motif"]
        try:
            with transaction.atomic():
                if form.cleaned_data["derogation"]:
                    accorder_derogation(
                        parcours.prescription,
                        par=self.request.user,
                        motif=form.cleaned_data["derogation_motif"],
                    )
                transition = {
                    "recevable": parcours.declarer_recevable,
                    "incomplet": parcours.demander_complements,
                    "irrecevable": parcours.declarer_irrecevable,
                }[decision]
                transition(par=self.request.user, motif=motif)
                parcours.save()
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        self.informer_prescripteur(parcours, decision, motif)
        return self.terminer(
            f"Prescription de {parcours.participant} : {parcours.get_statut_display().lower()}."
        )

    def informer_prescripteur(self, parcours, decision, motif):
        if decision == "recevable":
            return
        sujet, texte = {
            "incomplet": (
                "Prescription à compléter",
                "La prescription de {p} est incomplète. Compléments demandés :\n\n{m}\n\n"
                "La tâche « Compléter la prescription » vous attend dans votre boîte de tâches.",
            ),
            "irrecevable": (
                "Prescription irrecevable",
                "La prescription de {p} n'a pas été retenue par l'équipe d'animation "
                "({plie}).\n\nMotif : {m}",
            ),
        }[decision]
        envoyer_courriel(
            destinataires=[parcours.prescripteur],
            sujet=f"{sujet} — {parcours.participant}",
            corps=texte.format(p=parcours.participant, m=motif, plie=parcours.plie),
            parcours=parcours,
            par=self.request.user,
        )


class CompleterPrescriptionView(TacheMixin, generic.UpdateView):
    template_name = "workflows/completer.html"
    form_class = SituationForm

    def get_object(self, queryset=None):
        return self.get_parcours().prescription

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        demande = (
            self.get_parcours()
            .transitions.filter(transition="demander_complements")
            .order_by("-at")
            .first()
        )
        context["demande"] = demande
        return context

    def form_valid(self, form):
        parcours = self.get_parcours()
        try:
            with transaction.atomic():
                prescription = form.save()
                prescription.statuts.all().delete()
                prescription.statuts.bulk_create(
                    prescription.statuts.model(prescription=prescription, code=code, depuis=depuis)
                    for code, depuis in form.statuts_coches()
                )
                evaluer_eligibilite(prescription)
                parcours.completer(par=self.request.user)
                parcours.save()
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        return self.terminer(
            f"Prescription de {parcours.participant} complétée : elle repart en recevabilité."
        )
