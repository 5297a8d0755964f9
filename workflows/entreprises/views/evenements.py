"""Les événements emploi (job dating, forum, visite) : la liste et la création, la fiche et
l'émargement (présences notées, feuille signée déposée)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.entreprises import services
from parcours.entreprises.models import PresenceEvenement
from workflows.entreprises import forms
from workflows.entreprises.views.commun import (
    ERREURS_METIER,
    AccesMixin,
    ajouter_erreur,
    plies_de,
)
from workflows.pagination import PaginationBorneeMixin


class EvenementListView(AccesMixin, PaginationBorneeMixin, generic.ListView):
    roles = acces.ROLES_OFFRES | acces.ROLES_REFERENT
    template_name = "entreprises/evenement_list.html"
    context_object_name = "evenements"

    def get_queryset(self):
        return (
            acces.evenements_visibles(self.request.user)
            .select_related("plie")
            .annotate(
                nb_presents=Count("presences", distinct=True),
                nb_entreprises=Count("entreprises", distinct=True),
            )
            .order_by("-date", "-id")
        )

    def plies(self):
        return plies_de(self.request.user, acces.ROLES_OFFRES)

    def get_form(self, data=None):
        plies = self.plies()
        return forms.EvenementForm(
            data,
            entreprises=acces.entreprises_visibles(self.request.user).filter(plie__in=plies),
            plies=plies,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            d = dict(form.cleaned_data)
            plie = d.pop("plie", None) or self.plies().first()
            if plie is None:
                raise Http404
            try:
                evenement = services.creer_evenement(plie, par=request.user, **d)
                messages.success(request, f"Événement « {evenement.titre} » créé.")
                return HttpResponseRedirect(reverse("entreprises:evenement", args=[evenement.pk]))
            except (ValidationError, *ERREURS_METIER) as exc:
                ajouter_erreur(form, exc)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"] = self.get_form() if self.plies().exists() else None
        context["filtres_url"] = self.url_des_filtres()
        return context


class EvenementDetailView(AccesMixin, generic.DetailView):
    roles = acces.ROLES_OFFRES | acces.ROLES_REFERENT
    template_name = "entreprises/evenement_detail.html"
    context_object_name = "evenement"

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.evenements_visibles(self.request.user).select_related("plie", "organise_par"),
            pk=self.kwargs["pk"],
        )

    def candidats(self):
        return (
            acces.parcours_visibles(self.request.user)
            .filter(plie_id=self.object.plie_id)
            .exclude(presences_evenements__evenement=self.object)
            .ouverts()
            .select_related("participant")
            .order_by("participant__nom")
        )

    def post(self, request, *args, **kwargs):
        self.object = evenement = self.get_object()
        form = forms.EmargementForm(
            request.POST, request.FILES, parcours=self.candidats(), plie_id=evenement.plie_id
        )
        if form.is_valid():
            try:
                if form.cleaned_data["parcours"]:
                    services.emarger(evenement, form.cleaned_data["parcours"], par=request.user)
                    messages.success(request, "Présence notée.")
                if form.cleaned_data["feuille"]:
                    services.deposer_emargement(
                        evenement, par=request.user, fichier=form.cleaned_data["feuille"]
                    )
                    messages.success(request, "Feuille d'émargement déposée.")
                return HttpResponseRedirect(request.path)
            except (ValidationError, *ERREURS_METIER) as exc:
                ajouter_erreur(form, exc)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["entreprises"] = self.object.entreprises.all()
        # Les présents visibles seulement (données personnelles) ; les autres sont comptés.
        presences = PresenceEvenement.objects.filter(evenement=self.object)
        context["presents"] = (
            presences.filter(parcours__in=acces.parcours_visibles(user))
            .select_related("parcours__participant", "par")
            .order_by("parcours__participant__nom")
        )
        context["nb_presents"] = presences.count()
        context["gere"] = acces.peut_gerer_offres(user, self.object.plie_id)
        context.setdefault(
            "form", forms.EmargementForm(parcours=self.candidats(), plie_id=self.object.plie_id)
        )
        return context
