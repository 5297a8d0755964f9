"""Les offres d'emploi : la liste, et la fiche avec son journal, la trace de sa diffusion, ses
candidats et les gestes du ou de la CRE (qualifier, diffuser, clôturer, proposer un candidat)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.accompagnement.enums import Statut
from parcours.core import parametres
from parcours.core.enums import Role
from parcours.core.models import Membership, Structure, User
from parcours.entreprises import services
from parcours.entreprises.enums import STATUTS_OFFRE_OUVERTE, StatutOffre
from parcours.entreprises.models import DiffusionOffre, TransitionOffre
from parcours.participants.models import Participant
from workflows.autocompletion import RESULTATS_MAX, AutocompletionView
from workflows.entreprises import forms
from workflows.entreprises.views.commun import (
    ERREURS_METIER,
    AccesMixin,
    ajouter_erreur,
    participant_visible,
)
from workflows.pagination import PaginationBorneeMixin


class OffreListView(AccesMixin, PaginationBorneeMixin, generic.ListView):
    roles = acces.ROLES_OFFRES | acces.ROLES_REFERENT
    template_name = "entreprises/offre_list.html"
    context_object_name = "offres"

    def get_queryset(self):
        get = self.request.GET
        self.statut = get.get("statut", "") if get.get("statut") in StatutOffre.values else ""
        self.q = parametres.recherche(get.get("q"))
        qs = acces.offres_visibles(self.request.user).select_related("entreprise", "plie")
        qs = qs.annotate(nb_candidats=Count("mises_en_relation"))
        if self.statut:
            qs = qs.filter(statut=self.statut)
        if self.q:
            qs = qs.filter(
                Q(intitule__icontains=self.q) | Q(entreprise__raison_sociale__icontains=self.q)
            )
        return qs.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statut=self.statut,
            q=self.q,
            statuts=StatutOffre.choices,
            filtres_url=self.url_des_filtres(q=self.q, statut=self.statut),
        )
        return context


class OffreDetailView(AccesMixin, generic.DetailView):
    """L'offre, son journal, la trace de sa diffusion, ses candidats ; les gestes du CRE."""

    roles = acces.ROLES_OFFRES | acces.ROLES_REFERENT
    template_name = "entreprises/offre_detail.html"
    context_object_name = "offre"

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.offres_visibles(self.request.user).select_related(
                "entreprise", "plie", "created_by"
            ),
            pk=self.kwargs["pk"],
        )

    def candidats_possibles(self):
        return services.candidats_a_proposer(
            self.object, acces.parcours_visibles(self.request.user)
        )

    def proposition_form(self, data=None):
        return forms.PropositionForm(
            data,
            prefix="proposer",
            parcours=self.candidats_possibles(),
            url=reverse("entreprises:candidats", args=[self.object.pk]),
        )

    def peut_proposer(self):
        return _peut_proposer(self.request.user, self.object)

    def diffusion_form(self, data=None):
        plie_id = self.object.plie_id
        ids = (
            Membership.objects.actives()
            .filter(role__in=acces.ROLES_REFERENT, structure__plie_id=plie_id)
            .values("user_id")
        )
        return forms.DiffusionForm(
            data,
            prefix="diffusion",
            referents=User.objects.filter(pk__in=ids).order_by("last_name", "first_name"),
            structures=Structure.objects.filter(
                plie_id=plie_id, memberships__role__in=acces.ROLES_REFERENT
            )
            .distinct()
            .order_by("nom"),
            plie_id=plie_id,
        )

    def post(self, request, *args, **kwargs):
        self.object = offre = self.get_object()
        action = request.POST.get("action")
        user = request.user
        formulaires = {
            "qualifier": lambda: forms.ReponseForm(request.POST, prefix="qualifier"),
            "diffuser": lambda: self.diffusion_form(request.POST),
            "cloturer": lambda: forms.MotifForm(request.POST, prefix="cloturer"),
            "proposer": lambda: self.proposition_form(request.POST),
        }
        if action not in formulaires:
            raise Http404
        form = formulaires[action]()
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "qualifier":
                    services.qualifier_offre(offre, par=user, motif=d["motif"])
                    messages.success(request, "Offre qualifiée : elle peut être diffusée.")
                elif action == "diffuser":
                    traces = services.diffuser_offre(
                        offre,
                        par=user,
                        canal=d["canal"],
                        referents=d["referents"],
                        structures=d["structures"],
                        note=d["note"],
                    )
                    messages.success(request, f"Offre diffusée ({len(traces)} destinataire(s)).")
                elif action == "cloturer":
                    services.cloturer_offre(offre, par=user, motif=d["motif"])
                    messages.success(request, "Offre clôturée.")
                else:
                    mise = services.proposer_candidat(
                        offre, d["parcours"], par=user, note=d["note"]
                    )
                    messages.success(request, f"{mise.parcours.participant} proposé·e sur l'offre.")
                return HttpResponseRedirect(request.path)
            except (ValidationError, *ERREURS_METIER) as exc:
                ajouter_erreur(form, exc)
        self.object.refresh_from_db()
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        offre = self.object
        gere = acces.peut_gerer_offres(user, offre.plie_id)
        context.update(
            gere=gere,
            transitions=TransitionOffre.objects.filter(offre=offre).select_related("par"),
            diffusions=DiffusionOffre.objects.filter(offre=offre).select_related(
                "referent", "structure", "par"
            ),
            mises=acces.mises_en_relation_visibles(user, offre.mises_en_relation.all())
            .select_related("parcours__participant", "proposee_par")
            .annotate(participant_visible=participant_visible(user)),
        )
        if gere and offre.statut == StatutOffre.COLLECTEE:
            context.setdefault("qualifier_form", forms.ReponseForm(prefix="qualifier"))
        if gere and offre.statut in STATUTS_OFFRE_OUVERTE:
            context.setdefault("diffuser_form", self.diffusion_form())
        if gere and offre.statut not in (StatutOffre.POURVUE, StatutOffre.CLOTUREE):
            context.setdefault("cloturer_form", forms.MotifForm(prefix="cloturer"))
        if self.peut_proposer():
            context.setdefault("proposer_form", self.proposition_form())
        for nom in ("qualifier_form", "diffuser_form", "cloturer_form", "proposer_form"):
            context.setdefault(nom, None)
        return context


class CandidatsOffreView(AutocompletionView):
    """Autocomplétion du champ « Proposer une personne accompagnée » d'une offre : les personnes
    que l'utilisateur peut proposer sur elle (`services.candidats_a_proposer`), cherchées par le
    nom ; celles déjà en emploi viennent à part, en dernier, et le disent. Une offre que
    l'utilisateur ne voit pas, ou où il ne propose pas : 404."""

    def get(self, request, *args, **kwargs):
        # L'offre d'abord : hors périmètre, 404 même sans texte cherché.
        if request.user.is_authenticated:
            self.offre = get_object_or_404(acces.offres_visibles(request.user), pk=kwargs["pk"])
            if not _peut_proposer(request.user, self.offre):
                raise Http404
        return super().get(request, *args, **kwargs)

    def chercher(self, user, q):
        personnes = Participant.objects.recherche(q).values("pk")
        candidats = services.candidats_a_proposer(self.offre, acces.parcours_visibles(user))
        return [
            (p.pk, f"{p.participant} — {_etat_du_candidat(p)}")
            for p in candidats.filter(participant__in=personnes)[:RESULTATS_MAX]
        ]


def _peut_proposer(user, offre) -> bool:
    """Le champ « Proposer » : offre ouverte, CRE ou référent de son PLIE (la personne choisie
    est contrôlée par le service, `acces.peut_proposer_candidat`)."""
    return offre.statut in STATUTS_OFFRE_OUVERTE and (
        user.is_superuser
        or acces.perimetre(user).a_role(offre.plie_id, {Role.CRE, *acces.ROLES_REFERENT})
    )


def _etat_du_candidat(parcours) -> str:
    if parcours.statut == Statut.EN_EMPLOI:
        return "déjà en emploi (pour un autre poste seulement)"
    return parcours.get_statut_display()
