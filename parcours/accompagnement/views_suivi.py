"""Les écrans du suivi d'un parcours (étapes, entretiens, suspension, référent) et des
portefeuilles (changement de référent en masse, intérims).

Accès (parcours/acces/) : un dossier hors périmètre, ou que l'utilisateur voit sans en tenir le
suivi (prescripteur, CRE…), répond 404 ; sans connexion, la page de connexion. Les écritures
passent par les services de `parcours/accompagnement/suivi.py`, qui vérifient à nouveau les droits.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.views import generic
from django.views.generic import RedirectView
from viewflow.urls import Application

from parcours import acces
from parcours.accompagnement import suivi
from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE, Statut
from parcours.accompagnement.forms_suivi import (
    ChangerReferentForm,
    DelegationForm,
    EmargementForm,
    EntretienForm,
    EtapeForm,
    EtapeModifierForm,
    LeverForm,
    PortefeuilleForm,
    PreuveForm,
    RenouvelerForm,
    SuspendreForm,
)
from parcours.accompagnement.models import Etape, JournalEtape, Parcours, PreuveEtape
from parcours.core import parametres
from parcours.core.enums import Role
from parcours.core.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.models import PLIE
from parcours.core.roles import ROLES_SUIVI
from parcours.tracabilite.consultations import tracer_consultation

ERREURS_METIER = (
    TransitionInterdite,
    TransitionNonAutorisee,
    DonneesTransitionInvalides,
    ConflitTransition,
)
# Le libellé de chaque page du suivi dans le journal des accès (docs/rgpd.md).
PAGES_SUIVI = {
    "etapes": "étapes",
    "entretiens": "entretiens",
    "suspension": "suspension",
    "referent": "référent",
}
# Voir le suivi : ceux qui le tiennent, et la direction du PLIE (lecture).
ROLES_LECTURE = frozenset({*ROLES_SUIVI, Role.DIRECTION})


def reporter(form, exc) -> None:
    """Réaffiche une erreur de service sous le champ concerné (ou en tête du formulaire)."""
    if isinstance(exc, ValidationError):
        erreurs = getattr(exc, "message_dict", None) or {"__all__": exc.messages}
        for champ, liste in erreurs.items():
            for message in liste:
                form.add_error(champ if champ in form.fields else None, message)
    else:
        form.add_error(None, str(exc))


class SuiviMixin(LoginRequiredMixin):
    """Une page du suivi d'un parcours : le dossier (404 hors périmètre) et les droits d'agir."""

    onglet = ""

    def get_parcours(self) -> Parcours:
        if not hasattr(self, "_parcours"):
            user = self.request.user
            parcours = get_object_or_404(
                acces.parcours_visibles(user).select_related(
                    "participant", "plie", "referent", "structure_referente"
                ),
                pk=self.kwargs["pk"],
            )
            if not acces.peut_effectuer(user, parcours, ROLES_LECTURE):
                raise Http404("Aucun parcours ne correspond à cette adresse.")
            self._parcours = parcours
        return self._parcours

    def peut_agir(self) -> bool:
        if not hasattr(self, "_peut_agir"):
            self._peut_agir = suivi.peut_suivre(self.request.user, self.get_parcours())
        return self._peut_agir

    def exiger_droit_d_agir(self):
        if not self.peut_agir():
            raise Http404("Aucun parcours ne correspond à cette adresse.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        tracer_consultation(
            self.request,
            plie_id=parcours.plie_id,
            participant_id=parcours.participant_id,
            objet_type="parcours",
            objet_id=parcours.pk,
            detail=f"Suivi : {PAGES_SUIVI.get(self.onglet, 'parcours')}",
        )
        context.update(
            parcours=parcours,
            participant=parcours.participant,
            peut_agir=self.peut_agir(),
            peut_gerer=acces.peut_gerer_portefeuilles(self.request.user, parcours.plie_id),
            onglet=self.onglet,
        )
        return context

    def retour(self, nom, message, **kwargs):
        messages.success(self.request, message)
        return HttpResponseRedirect(
            reverse(f"suivi:{nom}", kwargs={"pk": self.get_parcours().pk, **kwargs})
        )


# — Étapes —


class EtapesView(SuiviMixin, generic.TemplateView):
    """Les étapes du parcours, leurs preuves et ce qui manque ; ajouter une étape."""

    template_name = "suivi/etapes.html"
    onglet = "etapes"

    def catalogue(self):
        if not hasattr(self, "_catalogue"):
            self._catalogue = suivi.catalogue_etapes(self.get_parcours().plie_id)
        return self._catalogue

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        catalogue = self.catalogue()
        etapes = list(
            self.get_parcours()
            .etapes.select_related("created_by")
            .prefetch_related(Prefetch("preuves", queryset=PreuveEtape.objects.order_by("id")))
        )
        for etape in etapes:
            etape.manquantes = suivi.message_preuves_manquantes(etape, catalogue)
        context.update(
            etapes=etapes,
            comptees=sum(1 for e in etapes if e.compte and e.statut != "abandonnee"),
            catalogue=catalogue,
        )
        if self.peut_agir():
            context.setdefault("form", EtapeForm(catalogue=catalogue))
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        form = EtapeForm(request.POST, catalogue=self.catalogue())
        if form.is_valid():
            try:
                etape = suivi.ajouter_etape(self.get_parcours(), request.user, **form.cleaned_data)
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("etapes", f"Étape « {etape.titre} » ajoutée.")
        return self.render_to_response(self.get_context_data(form=form))


class EtapeView(SuiviMixin, generic.TemplateView):
    """Une étape : la modifier (garde contre les modifications concurrentes), déposer ses
    preuves."""

    template_name = "suivi/etape.html"
    onglet = "etapes"

    def get_etape(self) -> Etape:
        if not hasattr(self, "_etape"):
            self._etape = get_object_or_404(
                Etape.objects.select_related("created_by", "updated_by").prefetch_related(
                    Prefetch(
                        "preuves",
                        queryset=PreuveEtape.objects.select_related("deposee_par").order_by("id"),
                    ),
                    Prefetch("journal", queryset=JournalEtape.objects.select_related("par")),
                ),
                pk=self.kwargs["etape_pk"],
                parcours=self.get_parcours(),
            )
            self._etape.parcours = self.get_parcours()
        return self._etape

    def catalogue(self):
        if not hasattr(self, "_catalogue"):
            self._catalogue = suivi.catalogue_etapes(self.get_parcours().plie_id)
        return self._catalogue

    def formulaires(self, data=None, files=None, section=None):
        etape = self.get_etape()
        initial = {
            champ: getattr(etape, champ)
            for champ in ("intitule", "prestataire", "date_debut", "date_fin", "statut")
        }
        initial.update(type_code=etape.type_code, commentaire=etape.commentaire)
        initial["version"] = etape.version
        return {
            "modifier": EtapeModifierForm(
                data if section == "modifier" else None,
                catalogue=self.catalogue(),
                initial=initial,
            ),
            "preuve": PreuveForm(
                data if section == "preuve" else None,
                files if section == "preuve" else None,
                type_etape=self.catalogue().type(etape.type_code),
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        etape = self.get_etape()
        catalogue = self.catalogue()
        context.update(
            etape=etape,
            type_etape=catalogue.type(etape.type_code),
            manquantes=suivi.message_preuves_manquantes(etape, catalogue),
        )
        if self.peut_agir():
            context.setdefault("forms", self.formulaires())
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        section = request.POST.get("section")
        forms = self.formulaires(request.POST, request.FILES, section)
        form = forms.get(section)
        if form is None:
            return HttpResponseRedirect(request.path)
        if form.is_valid():
            etape = self.get_etape()
            try:
                if section == "modifier":
                    donnees = dict(form.cleaned_data)
                    etape = suivi.modifier_etape(etape, request.user, **donnees)
                    message = f"Étape « {etape.titre} » enregistrée."
                else:
                    preuve = suivi.deposer_preuve(
                        etape,
                        request.user,
                        type_preuve=form.cleaned_data["type_preuve"],
                        fichier=form.cleaned_data["fichier"],
                    )
                    message = f"Preuve « {preuve.libelle} » déposée."
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("etape", message, etape_pk=etape.pk)
        return self.render_to_response(self.get_context_data(forms=forms, section=section))


# — Entretiens —


class EntretiensView(SuiviMixin, generic.TemplateView):
    """Les entretiens et contacts du parcours ; déposer une feuille d'émargement manquante."""

    template_name = "suivi/entretiens.html"
    onglet = "entretiens"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        context["entretiens"] = list(parcours.entretiens.select_related("auteur"))
        context["delais"] = suivi.delais_de_suivi(parcours.plie_id)
        if self.peut_agir():
            context.setdefault("form_emargement", EmargementForm())
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        form = EmargementForm(request.POST, request.FILES)
        if form.is_valid():
            entretien = get_object_or_404(
                self.get_parcours().entretiens, pk=form.cleaned_data["entretien"]
            )
            entretien.parcours = self.get_parcours()
            try:
                suivi.deposer_emargement(entretien, request.user, form.cleaned_data["emargement"])
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("entretiens", "Feuille d'émargement déposée.")
        return self.render_to_response(self.get_context_data(form_emargement=form))


class EntretienCreateView(SuiviMixin, generic.FormView):
    template_name = "suivi/entretien_form.html"
    form_class = EntretienForm
    onglet = "entretiens"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.exiger_droit_d_agir()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            entretien = suivi.enregistrer_entretien(
                self.get_parcours(), self.request.user, **form.cleaned_data
            )
        except (ValidationError, *ERREURS_METIER) as exc:
            reporter(form, exc)
            return self.form_invalid(form)
        quand = timezone.localtime(entretien.date)
        message = f"{entretien.get_canal_display()} du {quand:%d/%m/%Y} enregistré."
        if entretien.presence == "absent_injustifie":
            message += " Les relances prévues sont dans la boîte de tâches du référent."
        return self.retour("entretiens", message)


# — Suspension —


class SuspensionView(SuiviMixin, generic.TemplateView):
    """Suspendre (veille), renouveler, lever ; l'historique des suspensions."""

    template_name = "suivi/suspension.html"
    onglet = "suspension"
    SECTIONS = {"suspendre": SuspendreForm, "renouveler": RenouvelerForm, "lever": LeverForm}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parcours = self.get_parcours()
        suspensions = list(
            parcours.suspensions.select_related("par", "levee_par").prefetch_related(
                "journal_renouvellements__par"
            )
        )
        en_cours = next((s for s in suspensions if s.en_cours), None)
        context.update(
            suspensions=suspensions,
            en_cours=en_cours,
            delais=suivi.delais_de_suivi(parcours.plie_id),
            peut_suspendre=parcours.statut == Statut.EN_ACCOMPAGNEMENT,
            suspendu=parcours.statut == Statut.SUSPENDU,
        )
        if self.peut_agir():
            forms = context.setdefault("forms", {})
            for nom, classe in self.SECTIONS.items():
                forms.setdefault(nom, classe())
        return context

    def post(self, request, *args, **kwargs):
        self.exiger_droit_d_agir()
        section = request.POST.get("section")
        if section not in self.SECTIONS:
            return HttpResponseRedirect(request.path)
        form = self.SECTIONS[section](request.POST)
        parcours = self.get_parcours()
        if form.is_valid():
            donnees = form.cleaned_data
            try:
                if section == "suspendre":
                    s = suivi.suspendre_parcours(parcours, request.user, **donnees)
                    message = f"Parcours suspendu jusqu'au {s.fin_prevue:%d/%m/%Y}."
                elif section == "renouveler":
                    s = suivi.renouveler_suspension(parcours, request.user, **donnees)
                    message = f"Suspension renouvelée jusqu'au {s.fin_prevue:%d/%m/%Y}."
                else:
                    suivi.lever_suspension(parcours, request.user, **donnees)
                    message = "Suspension levée : le parcours reprend."
            except (ValidationError, *ERREURS_METIER) as exc:
                reporter(form, exc)
            else:
                return self.retour("suspension", message)
        return self.render_to_response(self.get_context_data(forms={section: form}))


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


class SuiviApplication(Application):
    """Les écrans du suivi (URL nommées `suivi:…`, listées dans docs/accompagnement.md)."""

    title = "Portefeuilles"
    icon = "swap_horiz"
    app_name = "suivi"
    menu_template_name = None
    # Pas de `permission` : le middleware de viewflow l'appliquerait à toutes les pages ; chacune
    # vérifie la politique d'accès elle-même.
    index_path = path("", IndexView.as_view(), name="index")
    etapes_path = path("parcours/<int:pk>/etapes/", EtapesView.as_view(), name="etapes")
    etape_path = path("parcours/<int:pk>/etapes/<int:etape_pk>/", EtapeView.as_view(), name="etape")
    entretiens_path = path(
        "parcours/<int:pk>/entretiens/", EntretiensView.as_view(), name="entretiens"
    )
    entretien_nouveau_path = path(
        "parcours/<int:pk>/entretiens/nouveau/",
        EntretienCreateView.as_view(),
        name="entretien_nouveau",
    )
    suspension_path = path(
        "parcours/<int:pk>/suspension/", SuspensionView.as_view(), name="suspension"
    )
    referent_path = path("parcours/<int:pk>/referent/", ReferentView.as_view(), name="referent")
    portefeuilles_path = path("portefeuilles/", PortefeuillesView.as_view(), name="portefeuilles")
    lever_delegation_path = path(
        "portefeuilles/interims/<int:pk>/lever/",
        LeverDelegationView.as_view(),
        name="lever_delegation",
    )
