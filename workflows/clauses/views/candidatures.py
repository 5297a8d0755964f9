"""Les écrans d'une candidature : sa fiche (la personne, le strict nécessaire ; l'éligibilité
expliquée ; le journal) et « Proposer » sur un besoin ouvert, qui démarre `CandidatureFlow`."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.clauses import services
from parcours.clauses.enums import StatutBesoin
from parcours.referentiel.calendrier import mois_revolus
from workflows.clauses.flows import CandidatureFlow
from workflows.clauses.forms import CandidatExterneForm, PropositionForm
from workflows.clauses.views.besoins import taches_ouvertes
from workflows.clauses.views.mixins import AccesMixin
from workflows.taches import ERREURS_METIER


class CandidatureDetailView(AccesMixin, generic.DetailView):
    """Une candidature : la personne (le strict nécessaire), l'éligibilité expliquée, le journal.

    Le facilitateur voit ici le participant sans accéder à son parcours (002:L547)."""

    template_name = "clauses/candidature_detail.html"
    context_object_name = "candidature"

    def acces(self, user):
        return acces.voit_les_besoins(user)

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.positionnements_visibles(self.request.user).select_related(
                "besoin__marche__attributaire",
                "besoin__facilitateur",
                "participant",
                "candidat_externe",
                "propose_par",
                "structure_proposante",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        personne = self.object.personne
        context.update(
            personne=personne,
            age=_age(personne.date_naissance),
            journal=self.object.transitions.select_related("par"),
            tache=taches_ouvertes(user, [self.object]).get(self.object.pk),
            lien_participant=self.object.participant_id
            and acces.peut_voir(user, self.object.participant),
        )
        return context


def _age(date_naissance):
    return mois_revolus(date_naissance, timezone.localdate()) // 12


# — Proposer une candidature (démarre le flux) —


class ProposerView(LoginRequiredMixin, generic.TemplateView):
    """Proposer quelqu'un sur un besoin ouvert : un de ses participants, un candidat externe
    déjà enregistré, ou une nouvelle personne hors PLIE (données minimales)."""

    template_name = "clauses/proposer.html"

    def get_besoin(self):
        if not hasattr(self, "_besoin"):
            user = self.request.user
            self._besoin = get_object_or_404(
                acces.besoins_visibles(user).select_related("marche__attributaire"),
                pk=self.kwargs["pk"],
            )
            if not acces.peut_proposer(user, self._besoin.marche.plie_id):
                raise Http404("Page introuvable.")
        return self._besoin

    def formulaires(self, data=None):
        besoin = self.get_besoin()
        user = self.request.user
        plie_id = besoin.marche.plie_id
        return {
            "form": PropositionForm(
                data,
                participants=acces.participants_proposables(user, plie_id).order_by(
                    "nom", "prenom"
                ),
                externes=acces.candidats_externes_visibles(user)
                .filter(plie_id=plie_id)
                .order_by("nom", "prenom"),
                plie_id=plie_id,
            ),
            "externe_form": CandidatExterneForm(data),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formulaires", self.formulaires())
        context["besoin"] = self.get_besoin()
        return context

    def get(self, request, *args, **kwargs):
        if self.get_besoin().statut != StatutBesoin.OUVERT:
            messages.error(request, "Ce besoin est clos : il ne reçoit plus de candidatures.")
            return HttpResponseRedirect(reverse("clauses:besoin", args=[self.get_besoin().pk]))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        besoin = self.get_besoin()
        formulaires = self.formulaires(request.POST)
        form, externe_form = formulaires["form"], formulaires["externe_form"]
        valide = form.is_valid()
        if valide and form.cleaned_data["nouveau"]:
            valide = externe_form.is_valid()
        if not valide:
            return self.render_to_response(self.get_context_data(formulaires=formulaires))
        try:
            with transaction.atomic():
                externe = form.cleaned_data["candidat_externe"]
                if form.cleaned_data["nouveau"]:
                    externe = services.enregistrer_candidat_externe(
                        par=request.user, plie=besoin.marche.plie, **externe_form.cleaned_data
                    )
                positionnement = services.proposer_candidature(
                    par=request.user,
                    besoin=besoin,
                    participant=form.cleaned_data["participant"],
                    candidat_externe=externe,
                    commentaire=form.cleaned_data["commentaire"],
                )
                CandidatureFlow.start.run(positionnement=positionnement)
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(formulaires=formulaires))
        messages.success(
            request,
            f"Candidature de {positionnement.personne} proposée : le facilitateur vérifie son "
            "éligibilité.",
        )
        return HttpResponseRedirect(reverse("clauses:candidature", args=[positionnement.pk]))
