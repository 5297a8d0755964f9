"""Les clés d'API du PLIE (docs/api.md) : la liste (dernière utilisation, état), la création —
le jeton n'est montré qu'une fois, sur la page qui suit, jamais gardé —, la révocation. Comme
le reste de l'administration : le PLIE de l'URL, 404 à qui ne l'administre pas, et toute clé
d'un autre PLIE répond 404."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import generic

from parcours.core.cles import CleInvalide, creer_cle, revoquer_cle
from parcours.core.models import CleApi
from workflows.administration import forms
from workflows.administration.views import AdministrationMixin

DUREE_PAR_DEFAUT = datetime.timedelta(days=365)


class CleListView(AdministrationMixin, generic.ListView):
    template_name = "administration/cles.html"
    context_object_name = "cles"
    paginate_by = 25

    def get_queryset(self):
        return (
            CleApi.objects.filter(structure__plie=self.plie)
            .select_related("structure", "creee_par", "revoquee_par")
            .order_by("-creee_le", "-pk")
        )


class CleCreateView(AdministrationMixin, generic.FormView):
    template_name = "administration/cle_nouvelle.html"
    form_class = forms.CleApiForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plie": self.plie}

    def get_initial(self):
        return {"expire_le": timezone.localdate() + DUREE_PAR_DEFAUT}

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            cle, jeton = creer_cle(
                par=self.request.user,
                plie=self.plie,
                structure=d["structure"],
                role=d["role"],
                droits=d["droits"],
                nom=d["nom"],
                expire_le=d["expire_le"],
            )
        except CleInvalide as exc:
            form.add_error(exc.champ if exc.champ in form.fields else None, str(exc))
            return self.form_invalid(form)
        # Le jeton, une seule fois : ni redirection (il passerait par la session), ni cache.
        reponse = self.response_class(
            request=self.request,
            template=["administration/cle_creee.html"],
            context=self.get_context_data(cle=cle, jeton=jeton),
        )
        reponse["Cache-Control"] = "no-store"
        return reponse


class CleView(AdministrationMixin, generic.TemplateView):
    """Une clé et ses dernières écritures (journal `EcritureApi`) : ce qu'elle a envoyé, quand."""

    template_name = "administration/cle.html"
    ECRITURES_MONTREES = 50

    def get_context_data(self, **kwargs):
        cle = get_object_or_404(
            CleApi.objects.select_related("structure", "creee_par", "revoquee_par"),
            pk=self.kwargs["pk"],
            structure__plie=self.plie,
        )
        ecritures = cle.ecritures.order_by("-at", "-pk")[: self.ECRITURES_MONTREES]
        return super().get_context_data(cle=cle, ecritures=ecritures, **kwargs)


class CleRevoquerView(AdministrationMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        cle = get_object_or_404(CleApi, pk=kwargs["pk"], structure__plie=self.plie)
        revoquer_cle(cle, par=request.user)
        messages.success(request, f"Clé « {cle.nom} » révoquée : elle n'ouvre plus rien.")
        return self.vers("cles")
