"""Une mise en relation : son journal et les gestes qui la suivent (entretien, réponse de
l'entreprise, embauche, qui enregistre le contrat au dossier de la personne)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import generic

from parcours import acces
from parcours.core.enums import Role
from parcours.entreprises import services
from parcours.entreprises.enums import StatutMiseEnRelation
from parcours.entreprises.models import TransitionMiseEnRelation
from workflows.entreprises import forms
from workflows.entreprises.views.commun import (
    ERREURS_METIER,
    AccesMixin,
    ajouter_erreur,
    participant_visible,
)


class MiseEnRelationDetailView(AccesMixin, generic.DetailView):
    roles = {Role.CRE, Role.ADMIN, *acces.ROLES_REFERENT}
    template_name = "entreprises/mise_detail.html"
    context_object_name = "mise"

    def get_object(self, queryset=None):
        user = self.request.user
        return get_object_or_404(
            acces.mises_en_relation_visibles(user)
            .select_related("offre__entreprise", "parcours__participant", "proposee_par")
            .annotate(participant_visible=participant_visible(user)),
            pk=self.kwargs["pk"],
        )

    def post(self, request, *args, **kwargs):
        self.object = mise = self.get_object()
        action = request.POST.get("action")
        user = request.user
        formulaires = {
            "entretien": forms.EntretienForm,
            "retenir": forms.ReponseForm,
            "ne_pas_retenir": forms.MotifForm,
            "embaucher": forms.EmbaucheForm,
        }
        if action not in formulaires:
            raise Http404
        form = formulaires[action](request.POST, prefix=action)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "entretien":
                    services.planifier_entretien(mise, par=user, **d)
                elif action == "retenir":
                    services.retenir_candidat(mise, par=user, motif=d["motif"])
                elif action == "ne_pas_retenir":
                    services.ne_pas_retenir_candidat(mise, par=user, motif=d["motif"])
                else:
                    contrat = services.embaucher(mise, par=user, **d)
                    messages.success(request, f"Embauche enregistrée : {contrat}.")
                return HttpResponseRedirect(request.path)
            except (ValidationError, *ERREURS_METIER) as exc:
                ajouter_erreur(form, exc)
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mise = self.object
        statut = mise.statut
        S = StatutMiseEnRelation
        context["transitions"] = TransitionMiseEnRelation.objects.filter(
            mise_en_relation=mise
        ).select_related("par")
        formulaires = {
            "entretien_form": (statut == S.PROPOSEE, forms.EntretienForm),
            "retenir_form": (statut in (S.PROPOSEE, S.ENTRETIEN), forms.ReponseForm),
            "ne_pas_retenir_form": (statut in (S.PROPOSEE, S.ENTRETIEN), forms.MotifForm),
            "embaucher_form": (statut == S.RETENUE, forms.EmbaucheForm),
        }
        for nom, (possible, classe) in formulaires.items():
            defaut = classe(prefix=nom.removesuffix("_form"), initial=self.initial(nom))
            context.setdefault(nom, defaut if possible else None)
        return context

    def initial(self, nom):
        offre = self.object.offre
        if nom == "embaucher_form":
            return {"type": offre.type_contrat, "heures_hebdo": offre.heures_hebdo}
        return {}
