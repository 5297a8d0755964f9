"""Le réseau d'entreprises du PLIE : la liste (et l'entrée du menu), la création, la
modification, la fiche (contacts notés, offres recueillies). Hors périmètre : 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.core import parametres
from parcours.entreprises import services
from parcours.entreprises.enums import STATUTS_OFFRE_OUVERTE, TrancheEffectif
from parcours.entreprises.models import ContactEntreprise, Entreprise, MiseEnRelation, OffreEmploi
from workflows.entreprises import forms
from workflows.entreprises.views.commun import (
    ERREURS_METIER,
    AccesMixin,
    ajouter_erreur,
    participant_visible,
    plies_de,
)
from workflows.pagination import PaginationBorneeMixin


class EntrepriseListView(AccesMixin, PaginationBorneeMixin, generic.ListView):
    template_name = "entreprises/entreprise_list.html"
    context_object_name = "entreprises"

    def get_queryset(self):
        get = self.request.GET
        self.filtres = {
            "q": parametres.recherche(get.get("q")),
            "secteur": parametres.recherche(get.get("secteur")),
            "partenaire": get.get("partenaire", "") if get.get("partenaire") in ("1", "0") else "",
            "tranche": get.get("tranche", "")
            if get.get("tranche") in TrancheEffectif.values
            else "",
        }
        ouvertes = OffreEmploi.objects.filter(
            entreprise=OuterRef("pk"), statut__in=STATUTS_OFFRE_OUVERTE
        )
        ouvertes = ouvertes.values("entreprise").annotate(n=Count("pk")).values("n")
        dernier = ContactEntreprise.objects.filter(entreprise=OuterRef("pk")).order_by("-date")
        qs = (
            acces.entreprises_visibles(self.request.user)
            .select_related("plie")
            .annotate(
                nb_offres_ouvertes=Coalesce(Subquery(ouvertes[:1]), 0),
                dernier_contact=Subquery(dernier.values("date")[:1]),
            )
        )
        f = self.filtres
        if f["q"]:
            qs = qs.recherche(f["q"])
        if f["secteur"]:
            qs = qs.filter(secteur__icontains=f["secteur"])
        if f["partenaire"]:
            qs = qs.filter(partenaire=f["partenaire"] == "1")
        if f["tranche"]:
            qs = qs.filter(tranche_effectif=f["tranche"])
        return qs.order_by("raison_sociale", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            f=self.filtres,
            tranches=TrancheEffectif.choices,
            peut_creer=user.is_superuser
            or bool(acces.perimetre(user).plies(acces.ROLES_ENTREPRISES)),
            requete=self.request.GET.copy(),
        )
        context["requete"].pop("page", None)
        return context


class IndexView(EntrepriseListView):
    """L'entrée du menu « Entreprises » : la liste du réseau pour qui le gère ; un référent, qui
    n'y voit que les offres diffusées de son PLIE, va aux offres ; les autres, 404."""

    roles = acces.ROLES_ENTREPRISES | acces.ROLES_REFERENT

    def get(self, request, *args, **kwargs):
        user = request.user
        if not user.is_superuser and not acces.perimetre(user).plies(acces.ROLES_ENTREPRISES):
            return HttpResponseRedirect(reverse("entreprises:offres"))
        return super().get(request, *args, **kwargs)


class EntrepriseFormMixin(AccesMixin):
    template_name = "entreprises/entreprise_form.html"

    def form_invalid_with(self, form, exc):
        ajouter_erreur(form, exc)
        return self.render_to_response(self.get_context_data(form=form))


class EntrepriseCreateView(EntrepriseFormMixin, generic.FormView):
    form_class = forms.EntrepriseForm

    def plies(self):
        return plies_de(self.request.user, acces.ROLES_ENTREPRISES)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plies": self.plies()}

    def form_valid(self, form):
        donnees = dict(form.cleaned_data)
        plie = donnees.pop("plie", None) or self.plies().first()
        donnees.pop("version", None)
        try:
            entreprise = services.creer_entreprise(plie, par=self.request.user, **donnees)
        except (ValidationError, *ERREURS_METIER) as exc:
            return self.form_invalid_with(form, exc)
        messages.success(self.request, f"Entreprise « {entreprise} » ajoutée au réseau.")
        return HttpResponseRedirect(reverse("entreprises:detail", args=[entreprise.pk]))

    def get_context_data(self, **kwargs):
        return super().get_context_data(titre="Nouvelle entreprise", **kwargs)


class EntrepriseUpdateView(EntrepriseFormMixin, generic.FormView):
    form_class = forms.EntrepriseForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.entreprise = get_object_or_404(
                acces.entreprises_visibles(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # Une copie : l'objet affiché n'est pas modifié si le service refuse.
        copie = Entreprise.objects.get(pk=self.entreprise.pk)
        return {**super().get_form_kwargs(), "instance": copie}

    def form_valid(self, form):
        try:
            services.modifier_entreprise(
                self.entreprise, par=self.request.user, **form.cleaned_data
            )
        except (ValidationError, *ERREURS_METIER) as exc:
            return self.form_invalid_with(form, exc)
        messages.success(self.request, "Entreprise mise à jour.")
        return HttpResponseRedirect(reverse("entreprises:detail", args=[self.entreprise.pk]))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            titre=f"Modifier « {self.entreprise} »", entreprise=self.entreprise, **kwargs
        )


class EntrepriseDetailView(AccesMixin, generic.DetailView):
    """La fiche : coordonnées, contacts, offres, mises en relation ; noter un contact, recueillir
    une offre."""

    template_name = "entreprises/entreprise_detail.html"
    context_object_name = "entreprise"

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.entreprises_visibles(self.request.user).select_related("plie", "created_by"),
            pk=self.kwargs["pk"],
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        action = request.POST.get("action")
        try:
            if action == "contact":
                form = forms.ContactForm(request.POST, prefix="contact")
                if form.is_valid():
                    services.noter_contact(self.object, par=request.user, **form.cleaned_data)
                    messages.success(request, "Contact noté.")
                    return HttpResponseRedirect(request.path)
                return self.render_to_response(self.get_context_data(contact_form=form))
            if action == "offre":
                form = forms.OffreForm(request.POST, prefix="offre")
                if form.is_valid():
                    offre = services.collecter_offre(
                        self.object, par=request.user, **form.cleaned_data
                    )
                    messages.success(request, f"Offre « {offre.intitule} » recueillie.")
                    return HttpResponseRedirect(reverse("entreprises:offre", args=[offre.pk]))
                return self.render_to_response(self.get_context_data(offre_form=form))
        except (ValidationError, *ERREURS_METIER) as exc:
            ajouter_erreur(form, exc)
            nom = "contact_form" if action == "contact" else "offre_form"
            return self.render_to_response(self.get_context_data(**{nom: form}))
        raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        e = self.object
        gere = acces.peut_gerer_entreprises(user, e.plie_id)
        gere_offres = acces.peut_gerer_offres(user, e.plie_id)
        context.update(
            gere=gere,
            gere_offres=gere_offres,
            contacts=e.contacts.select_related("auteur")[:50],
            offres=acces.offres_visibles(user, e.offres.all()).annotate(
                nb_candidats=Count("mises_en_relation")
            ),
            mises=acces.mises_en_relation_visibles(
                user, MiseEnRelation.objects.filter(offre__entreprise=e)
            )
            .select_related("offre", "parcours__participant")
            .annotate(participant_visible=participant_visible(user))
            .order_by("-updated_at")[:50],
        )
        if gere:
            context.setdefault("contact_form", forms.ContactForm(prefix="contact"))
        if gere_offres:
            context.setdefault("offre_form", forms.OffreForm(prefix="offre"))
        return context
