"""Les référents et leurs portefeuilles : changer le référent d'un dossier, confier tout un
portefeuille, organiser un intérim et le lever (animation et direction du PLIE, 404 sinon).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic
from django.views.generic import RedirectView

from parcours import acces
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE
from parcours.accompagnement.models import Parcours
from parcours.core import parametres
from parcours.core.models import PLIE
from workflows.suivi.forms import (
    ChangerReferentForm,
    DelegationForm,
    PortefeuilleForm,
)
from workflows.suivi.views.commun import SuiviMixin, reporter
from workflows.taches import ERREURS_METIER

# — Référent —


class ReferentView(SuiviMixin, generic.FormView):
    """Changer le référent d'un dossier : l'animation et la direction du PLIE (404 sinon)."""

    template_name = "suivi/referent.html"
    form_class = ChangerReferentForm
    onglet = "referent"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not acces.peut_gerer_portefeuilles(
            request.user, self.get_parcours().plie_id
        ):
            raise Http404("Aucun parcours ne correspond à cette adresse.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        parcours = self.get_parcours()
        kwargs["referents"] = suivi.referents_du_plie(parcours.plie_id).exclude(
            pk=parcours.referent_id
        )
        kwargs["plie_id"] = parcours.plie_id
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changements"] = list(
            self.get_parcours().changements_referent.select_related("ancien", "nouveau", "par")
        )
        return context

    def form_valid(self, form):
        try:
            suivi.changer_referent(
                self.get_parcours(),
                form.cleaned_data["nouveau"],
                self.request.user,
                form.cleaned_data["motif"],
            )
        except (ValidationError, *ERREURS_METIER) as exc:
            reporter(form, exc)
            return self.form_invalid(form)
        nouveau = form.cleaned_data["nouveau"]
        return self.retour(
            "referent", f"Dossier confié à {nouveau.get_full_name() or nouveau.username}."
        )


# — Portefeuilles (animation) —


class PortefeuillesView(LoginRequiredMixin, generic.TemplateView):
    """Les portefeuilles des référents du PLIE : confier tout un portefeuille, organiser un
    intérim, le lever. Réservé à l'animation et à la direction (404 sinon)."""

    template_name = "suivi/portefeuilles.html"
    SECTIONS = {"portefeuille": PortefeuilleForm, "delegation": DelegationForm}

    def get_plie(self) -> PLIE:
        if not hasattr(self, "_plie"):
            user = self.request.user
            geres = acces.perimetre(user).plies(acces.ROLES_GESTION_PORTEFEUILLES)
            plies = PLIE.objects.order_by("nom")
            if not user.is_superuser:
                plies = plies.filter(pk__in=geres)
            demande = self.request.GET.get("plie") or self.request.POST.get("plie")
            if demande:
                pk = parametres.identifiant(demande)
                plie = plies.filter(pk=pk).first() if pk is not None else None
            else:
                plie = plies.first()
            if plie is None:
                raise Http404("Aucun portefeuille à gérer.")
            self._plie, self._plies = plie, list(plies)
        return self._plie

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.get_plie()
        return super().dispatch(request, *args, **kwargs)

    def referents(self):
        return suivi.referents_du_plie(self.get_plie().pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plie = self.get_plie()
        file_active = Q(parcours_suivis__plie=plie, parcours_suivis__statut__in=STATUTS_FILE_ACTIVE)
        referents = list(
            self.referents().annotate(file_active=Count("parcours_suivis", filter=file_active))
        )
        delegations = list(
            acces.delegations_visibles(self.request.user)
            .filter(plie=plie, levee_le__isnull=True)
            .select_related("titulaire", "suppleant", "par")
            .annotate(dossiers=Count("parcours_couverts"))
            .order_by("debut", "pk")
        )
        forms = context.setdefault("forms", {})
        for nom, classe in self.SECTIONS.items():
            forms.setdefault(nom, classe(referents=self.referents()))
        context.update(plie=plie, plies=self._plies, referents=referents, delegations=delegations)
        return context

    def post(self, request, *args, **kwargs):
        section = request.POST.get("section")
        plie = self.get_plie()
        retour = reverse("suivi:portefeuilles") + f"?plie={plie.pk}"
        if section not in self.SECTIONS:
            return HttpResponseRedirect(retour)
        form = self.SECTIONS[section](request.POST, referents=self.referents())
        if form.is_valid():
            d = form.cleaned_data
            try:
                if section == "portefeuille":
                    dossiers = Parcours.objects.filter(
                        plie=plie, referent=d["ancien"], statut__in=STATUTS_FILE_ACTIVE
                    )
                    changements = suivi.changer_referent(
                        dossiers, d["nouveau"], request.user, d["motif"]
                    )
                    message = (
                        f"{len(changements)} dossier(s) de {_nom(d['ancien'])} confié(s) à "
                        f"{_nom(d['nouveau'])}."
                    )
                else:
                    delegation = suivi.deleguer_portefeuille(
                        d["titulaire"],
                        d["suppleant"],
                        request.user,
                        plie=plie,
                        debut=d["debut"],
                        fin=d["fin"],
                        motif=d["motif"],
                    )
                    message = (
                        f"Intérim de {_nom(delegation.titulaire)} par "
                        f"{_nom(delegation.suppleant)} du {delegation.debut:%d/%m/%Y} au "
                        f"{delegation.fin:%d/%m/%Y} enregistré."
                    )
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(retour)
        return self.render_to_response(self.get_context_data(forms={section: form}))


def _nom(user) -> str:
    return user.get_full_name() or user.username


class LeverDelegationView(LoginRequiredMixin, generic.View):
    def post(self, request, pk):
        delegation = get_object_or_404(acces.delegations_visibles(request.user), pk=pk)
        if not acces.peut_gerer_portefeuilles(request.user, delegation.plie_id):
            raise Http404("Aucun intérim ne correspond à cette adresse.")
        try:
            suivi.lever_delegation(delegation, request.user)
        except ERREURS_METIER as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Intérim de {_nom(delegation.titulaire)} levé : {_nom(delegation.suppleant)} "
                "n'a plus accès à ses dossiers.",
            )
        return HttpResponseRedirect(reverse("suivi:portefeuilles") + f"?plie={delegation.plie_id}")


class IndexView(LoginRequiredMixin, RedirectView):
    """Le menu « Portefeuilles » : la page des portefeuilles pour qui les gère, l'accueil sinon."""

    def get_redirect_url(self, *args, **kwargs):
        user = self.request.user
        if user.is_superuser or acces.perimetre(user).plies(acces.ROLES_GESTION_PORTEFEUILLES):
            return reverse("suivi:portefeuilles")
        return reverse("accueil:index")
