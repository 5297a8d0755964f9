"""Les écrans hors tâche de l'application « emploi » : les contrats d'un parcours (liste,
ajout, correction, fin) avec la qualification de la sortie calculée par le moteur et son
explication ; proposer la sortie et saisir les données FSE+ de sortie sans passer par la tâche
(docs/emploi.md).

Accès : `acces.peut_voir_emploi` (404 sinon) pour lire ; les services vérifient le droit
d'écrire (référent, animation, CRE : 403 sinon).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.core.roles import ROLES_CONTRAT, ROLES_SUIVI
from parcours.emploi import services
from parcours.emploi.models import Contrat
from parcours.emploi.sortie import echeance_donnees_sortie, peut_proposer
from parcours.tracabilite.consultations import tracer_consultation
from workflows.emploi.forms import ContratForm, TerminerContratForm, erreurs_dans
from workflows.emploi.reactions import apres_donnees_sortie, apres_proposition
from workflows.emploi.taches import DonneesSortieMixin, ProposerSortieMixin

ERREURS_CONTRAT = (services.ContratInvalide,)


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


# — Contrats —


class ContratsMixin(ParcoursEmploiMixin):
    """Les écrans des contrats : la consultation est tracée, l'écriture réservée aux rôles qui
    enregistrent un contrat."""

    def peut_ecrire(self) -> bool:
        return (
            acces.peut_effectuer(self.request.user, self.get_parcours(), ROLES_CONTRAT)
            and self.get_parcours().statut in services.STATUTS_CONTRAT
        )

    def get_context_data(self, **kwargs):
        parcours = self.get_parcours()
        tracer_consultation(
            self.request,
            plie_id=parcours.plie_id,
            participant_id=parcours.participant_id,
            objet_type="parcours",
            objet_id=parcours.pk,
            detail="Contrats et emploi",
        )
        return super().get_context_data(**kwargs)

    def exiger_ecriture(self):
        if not acces.peut_effectuer(self.request.user, self.get_parcours(), ROLES_CONTRAT):
            raise PermissionDenied("Vous ne pouvez pas modifier les contrats de ce parcours.")


class ContratsView(ContratsMixin, generic.TemplateView):
    """Les contrats du parcours, la qualification de la sortie, et l'ajout d'un contrat."""

    template_name = "emploi/contrats.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        contrats = list(parcours.contrats.select_related("created_by"))
        context.update(
            parcours=parcours,
            participant=parcours.participant,
            contrats=contrats,
            qualification=(q := services.qualification_du_parcours(parcours)),
            categorie_sortie=services.libelle_categorie(q),
            peut_ecrire=self.peut_ecrire(),
            peut_proposer=peut_proposer(self.request.user, parcours)
            and parcours.statut in ("en_accompagnement", "suspendu", "en_emploi"),
            propositions=list(
                parcours.propositions_sortie.select_related("proposee_par", "decision__session")
            ),
            donnees_sortie=getattr(parcours, "donnees_sortie_fse", None),
            echeance_fse=echeance_donnees_sortie(parcours) if parcours.statut == "sorti" else None,
            peut_saisir_fse=parcours.statut == "sorti"
            and peut_proposer(self.request.user, parcours),
            employeurs=sorted({c.employeur for c in contrats}),
            aujourdhui=timezone.localdate(),
        )
        context.setdefault("form", ContratForm(initial={"debut": timezone.localdate()}))
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_ecriture()
        parcours = self.get_parcours()
        form = ContratForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                contrat = services.enregistrer_contrat(
                    parcours,
                    par=request.user,
                    justificatif=form.cleaned_data.get("justificatif"),
                    **form.donnees(),
                )
            except ERREURS_CONTRAT as exc:
                erreurs_dans(form, exc)
            else:
                messages.success(request, f"Contrat enregistré : {contrat}.")
                return HttpResponseRedirect(reverse("emploi:contrats", args=[parcours.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class ContratView(ContratsMixin, generic.TemplateView):
    """Corriger un contrat, ou le terminer (fin de mission, rupture)."""

    template_name = "emploi/contrat.html"

    def get_contrat(self) -> Contrat:
        return get_object_or_404(self.get_parcours().contrats, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contrat = self.get_contrat()
        initial = {champ: getattr(contrat, champ) for champ in services.CHAMPS}
        context.update(
            parcours=self.get_parcours(),
            participant=self.get_parcours().participant,
            contrat=contrat,
            peut_ecrire=self.peut_ecrire(),
        )
        context.setdefault("form", ContratForm(initial={**initial, "version": contrat.version}))
        context.setdefault(
            "form_fin",
            TerminerContratForm(
                initial={"fin": contrat.fin or timezone.localdate(), "version": contrat.version}
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_ecriture()
        contrat = self.get_contrat()
        if request.POST.get("action") == "terminer":
            form = TerminerContratForm(request.POST)
            if form.is_valid():
                try:
                    services.terminer_contrat(
                        contrat,
                        par=request.user,
                        fin=form.cleaned_data["fin"],
                        motif=form.cleaned_data["motif"],
                        version=form.cleaned_data["version"],
                        rompre=form.cleaned_data["rompre"],
                    )
                except ERREURS_CONTRAT as exc:
                    erreurs_dans(form, exc)
                else:
                    messages.success(request, "Fin du contrat enregistrée.")
                    return HttpResponseRedirect(
                        reverse("emploi:contrats", args=[self.get_parcours().pk])
                    )
            return self.render_to_response(self.get_context_data(form_fin=form))
        form = ContratForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.modifier_contrat(
                    contrat,
                    par=request.user,
                    version=form.cleaned_data["version"],
                    justificatif=form.cleaned_data.get("justificatif"),
                    **form.donnees(),
                )
            except ERREURS_CONTRAT as exc:
                erreurs_dans(form, exc)
            else:
                messages.success(request, "Contrat corrigé.")
                return HttpResponseRedirect(
                    reverse("emploi:contrats", args=[self.get_parcours().pk])
                )
        return self.render_to_response(self.get_context_data(form=form))


# — Sortie (hors tâche) —


class SortieHorsTacheMixin(ParcoursEmploiMixin):
    """Un écran de la sortie ouvert hors de sa tâche : le droit d'agir est exigé (403) avant
    d'afficher ou d'enregistrer le formulaire."""

    def exiger_droit(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.exiger_droit()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.exiger_droit()
        return super().post(request, *args, **kwargs)


class ProposerSortieView(ProposerSortieMixin, SortieHorsTacheMixin, generic.FormView):
    def exiger_droit(self):
        if not peut_proposer(self.request.user, self.get_parcours()):
            raise PermissionDenied("Seuls le référent et l'animation proposent une sortie.")

    def form_valid(self, form):
        with transaction.atomic():
            proposition = self.proposer(form)
            if proposition is None:
                return self.form_invalid(form)
            apres_proposition(proposition.parcours)
        messages.success(self.request, self.message(proposition))
        return HttpResponseRedirect(reverse("emploi:contrats", args=[proposition.parcours_id]))


class DonneesSortieView(DonneesSortieMixin, SortieHorsTacheMixin, generic.FormView):
    def exiger_droit(self):
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
