"""Administration du PLIE : structures, comptes, adhésions, référentiel, journal.

Le PLIE administré est dans l'URL (`<plie>` : son code) ; chaque page répond 404 à qui n'en est
pas l'administrateur et chaque objet est relu dans ce PLIE (structure, compte, adhésion d'un autre
PLIE : 404). L'admin Django, lui, n'est ouvert qu'aux superutilisateurs de l'instance
(docs/architecture.md).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.core import administration as services
from parcours.core.models import PLIE, Membership, Structure
from parcours.core.parametres import recherche
from parcours.referentiel.apercu import apercu_import
from parcours.referentiel.models import Referentiel
from parcours.referentiel.services import importer_contenu, valider_texte
from parcours.referentiel.validation import ReferentielInvalide
from workflows.administration import forms

INTROUVABLE = "Page introuvable."


class AdministrationMixin(LoginRequiredMixin):
    """Le PLIE de l'URL, si l'utilisateur l'administre ; 404 sinon."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plie = PLIE.objects.filter(code=kwargs.get("plie", "")).first()
            if self.plie is None or not acces.peut_administrer(request.user, self.plie.pk):
                raise Http404(INTROUVABLE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["plie"] = self.plie  # le PLIE, pas son code venu de l'URL
        return super().get_context_data(**kwargs)

    def vers(self, nom, *args):
        return HttpResponseRedirect(reverse(f"administration:{nom}", args=[self.plie.code, *args]))


class IndexView(LoginRequiredMixin, generic.TemplateView):
    """Les PLIE administrés ; un seul : on y va directement."""

    template_name = "administration/index.html"

    def get(self, request, *args, **kwargs):
        plies = PLIE.objects.filter(pk__in=acces.plies_administres(request.user)).order_by("nom")
        if not plies:
            raise Http404(INTROUVABLE)
        if len(plies) == 1:
            return HttpResponseRedirect(reverse("administration:plie", args=[plies[0].code]))
        return self.render_to_response(self.get_context_data(plies=plies))


class PlieView(AdministrationMixin, generic.TemplateView):
    template_name = "administration/plie.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            nb_structures=self.plie.structures.count(),
            nb_comptes=services.comptes_du_plie(self.plie.pk).count(),
            referentiel=Referentiel.objects.en_vigueur(self.plie),
        )
        return context


# — Structures —


class StructureListView(AdministrationMixin, generic.ListView):
    template_name = "administration/structures.html"
    context_object_name = "structures"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        return self.plie.structures.select_related("territoire").order_by("nom")


class StructureFormView(AdministrationMixin, generic.FormView):
    template_name = "administration/structure_form.html"
    form_class = forms.StructureForm

    def get_structure(self):
        if "pk" not in self.kwargs:
            return Structure()
        return get_object_or_404(Structure, pk=self.kwargs["pk"], plie=self.plie)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plie": self.plie, "instance": self.get_structure()}

    def form_valid(self, form):
        structure = services.enregistrer_structure(self.request.user, self.plie, form.instance)
        messages.success(self.request, f"Structure « {structure.nom} » enregistrée.")
        return self.vers("structures")


# — Comptes et adhésions —


class CompteListView(AdministrationMixin, generic.ListView):
    template_name = "administration/comptes.html"
    context_object_name = "comptes"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        self.q = recherche(self.request.GET.get("q"))
        comptes = services.comptes_du_plie(self.plie.pk).prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(structure__plie=self.plie)
                .select_related("structure")
                .order_by("-debut"),
                to_attr="adhesions_du_plie",
            )
        )
        if self.q:
            comptes = comptes.filter(
                Q(username__icontains=self.q)
                | Q(last_name__icontains=self.q)
                | Q(first_name__icontains=self.q)
                | Q(email__icontains=self.q)
            )
        return comptes.order_by("last_name", "first_name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(q=self.q, **kwargs)


class CompteCreateView(AdministrationMixin, generic.FormView):
    template_name = "administration/compte_nouveau.html"
    form_class = forms.CompteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plie": self.plie}

    def form_valid(self, form):
        donnees = form.cleaned_data
        try:
            compte = services.creer_compte(
                self.request.user,
                self.plie,
                username=donnees["username"],
                first_name=donnees["first_name"],
                last_name=donnees["last_name"],
                email=donnees["email"],
                password=donnees["password1"],
                adhesion=form.adhesion.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Compte « {compte.username} » créé.")
        return self.vers("compte", compte.pk)


class CompteMixin(AdministrationMixin):
    def get_compte(self):
        if not hasattr(self, "_compte"):
            self._compte = get_object_or_404(
                services.comptes_du_plie(self.plie.pk), pk=self.kwargs["pk"]
            )
        return self._compte

    def administrable(self):
        compte = self.get_compte()
        return services.comptes_administrables(self.plie.pk).filter(pk=compte.pk).exists()


class CompteView(CompteMixin, generic.FormView):
    """La fiche d'un compte : identité et activité (s'il n'appartient qu'à ce PLIE), adhésions
    dans ce PLIE, ajout d'une adhésion."""

    template_name = "administration/compte.html"
    form_class = forms.CompteModificationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_compte()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        compte = self.get_compte()
        context.update(
            compte=compte,
            administrable=self.administrable(),
            adhesions=compte.memberships.filter(structure__plie=self.plie)
            .select_related("structure")
            .order_by("-debut"),
            adhesion_form=forms.AdhesionForm(plie=self.plie, prefix="adhesion"),
            verrouille=services.est_verrouille(compte),
        )
        return context

    def form_valid(self, form):
        if not self.administrable():
            raise Http404(INTROUVABLE)
        donnees = form.cleaned_data
        services.modifier_compte(
            self.request.user,
            self.plie,
            self.get_compte(),
            first_name=donnees["first_name"],
            last_name=donnees["last_name"],
            email=donnees["email"],
            is_active=donnees["is_active"],
        )
        messages.success(self.request, "Compte enregistré.")
        return self.vers("compte", self.get_compte().pk)


class DebloquerView(CompteMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.debloquer_compte(request.user, self.plie, self.get_compte())
        messages.success(request, f"Connexion débloquée pour {self.get_compte()}.")
        return self.vers("compte", self.get_compte().pk)


class MotDePasseView(CompteMixin, generic.FormView):
    template_name = "administration/mot_de_passe.html"
    form_class = forms.MotDePasseForm

    def get_form(self, form_class=None):
        if not self.administrable():
            raise Http404(INTROUVABLE)
        return self.form_class(self.get_compte(), **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(compte=self.get_compte(), **kwargs)

    def form_valid(self, form):
        services.definir_mot_de_passe(
            self.request.user, self.plie, self.get_compte(), form.cleaned_data["new_password1"]
        )
        messages.success(self.request, f"Nouveau mot de passe défini pour {self.get_compte()}.")
        return self.vers("compte", self.get_compte().pk)


class AdhesionCreateView(CompteMixin, generic.FormView):
    template_name = "administration/adhesion_form.html"
    form_class = forms.AdhesionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plie": self.plie, "prefix": "adhesion"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(compte=self.get_compte(), **kwargs)

    def form_valid(self, form):
        services.ajouter_adhesion(
            self.request.user, self.plie, self.get_compte(), **form.cleaned_data
        )
        messages.success(self.request, "Adhésion ajoutée.")
        return self.vers("compte", self.get_compte().pk)


class AdhesionTerminerView(AdministrationMixin, generic.TemplateView):
    """Confirmer (GET), puis terminer aujourd'hui (POST) une adhésion du PLIE."""

    template_name = "administration/adhesion_terminer.html"

    def get_adhesion(self):
        return get_object_or_404(
            Membership.objects.select_related("structure", "user"),
            pk=self.kwargs["pk"],
            structure__plie=self.plie,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(adhesion=self.get_adhesion(), **kwargs)

    def post(self, request, *args, **kwargs):
        adhesion = self.get_adhesion()
        if adhesion.fin is not None:
            messages.error(request, "Cette adhésion est déjà terminée.")
            return self.vers("compte", adhesion.user_id)
        services.terminer_adhesion(request.user, self.plie, adhesion)
        messages.success(request, f"Adhésion terminée au {adhesion.fin:%d/%m/%Y}.")
        return self.vers("compte", adhesion.user_id)


# — Référentiel : versions, import avec aperçu —


class ReferentielView(AdministrationMixin, generic.FormView):
    template_name = "administration/referentiel.html"
    form_class = forms.ReferentielForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = (
            Referentiel.objects.filter(plie=self.plie)
            .select_related("importe_par")
            .order_by("-date_effet")
        )
        return context

    def form_valid(self, form):
        texte, nom = form.cleaned_data["fichier"], form.files["fichier"].name[:200]
        try:
            contenu = valider_texte(texte, nom, self.plie.code)
        except ReferentielInvalide as exc:
            for erreur in exc.erreurs:
                form.add_error("fichier", erreur.format(nom))
            return self.form_invalid(form)
        apercu = apercu_import(self.plie, contenu)
        confirmation = forms.ConfirmationReferentielForm(initial={"contenu": texte, "nom": nom})
        return self.render_to_response(
            self.get_context_data(form=form, apercu=apercu, confirmation=confirmation)
        )


class ReferentielConfirmerView(AdministrationMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = forms.ConfirmationReferentielForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Import non confirmé : déposez le fichier à nouveau.")
            return self.vers("referentiel")
        nom = form.cleaned_data["nom"]
        try:
            contenu = valider_texte(form.cleaned_data["contenu"], nom, self.plie.code)
            version = importer_contenu(
                contenu, nom, self.plie.code, par=request.user, attendu="au PLIE administré"
            )
        except ReferentielInvalide as exc:
            messages.error(request, f"Import refusé : {exc}")
            return self.vers("referentiel")
        services.tracer_import_referentiel(request.user, self.plie, version)
        messages.success(
            request, f"Référentiel importé : version en vigueur au {version.date_effet:%d/%m/%Y}."
        )
        return self.vers("referentiel")
