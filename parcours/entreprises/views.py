"""Les écrans des relations entreprises : entreprises, offres, mises en relation, événements,
indicateurs. Chaque page filtre par la politique d'accès (`parcours/acces/`) : hors
périmètre, 404 ; sans connexion, la page de connexion. Les listes ont un nombre de requêtes
constant (sous-requêtes et `select_related`, pas de N+1)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.core import parametres
from parcours.core.enums import Role
from parcours.core.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.models import PLIE, Membership, Structure, User
from parcours.entreprises import forms, services
from parcours.entreprises.enums import (
    STATUTS_OFFRE_OUVERTE,
    StatutMiseEnRelation,
    StatutOffre,
    TrancheEffectif,
)
from parcours.entreprises.indicateurs import indicateurs_par_plie
from parcours.entreprises.models import (
    ContactEntreprise,
    DiffusionOffre,
    Entreprise,
    MiseEnRelation,
    OffreEmploi,
    PresenceEvenement,
    TransitionMiseEnRelation,
    TransitionOffre,
)

ERREURS_METIER = (
    TransitionInterdite,
    TransitionNonAutorisee,
    DonneesTransitionInvalides,
    ConflitTransition,
    PermissionDenied,
)


def _ajouter_erreur(form, exc):
    """Une erreur de service sur le formulaire : par champ quand le champ y est, sinon en tête."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for champ, erreurs in exc.message_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc))


def _participant_visible(user, champ="parcours_id"):
    """Annotation : la personne est-elle visible de l'utilisateur (ses données personnelles) ?"""
    return Exists(acces.parcours_visibles(user).filter(pk=OuterRef(champ)))


class AccesMixin(LoginRequiredMixin):
    """404 pour qui ne tient aucun des `roles` dans aucun PLIE (prescripteur, financeur…)."""

    roles = acces.ROLES_ENTREPRISES

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_superuser
            and not acces.perimetre(user).plies(self.roles)
        ):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p = acces.perimetre(self.request.user)
        su = self.request.user.is_superuser
        context["nav"] = {
            "entreprises": su or bool(p.plies(acces.ROLES_ENTREPRISES)),
            "offres": su or bool(p.plies(acces.ROLES_OFFRES | acces.ROLES_REFERENT)),
            "pilotage": su or bool(p.plies(acces.ROLES_OFFRES)),
        }
        return context


def _plies(user, roles):
    if user.is_superuser:
        return PLIE.objects.order_by("nom")
    return PLIE.objects.filter(pk__in=acces.perimetre(user).plies(roles)).order_by("nom")


# — Entreprises —


class EntrepriseListView(AccesMixin, generic.ListView):
    template_name = "entreprises/entreprise_list.html"
    context_object_name = "entreprises"
    paginate_by = settings.PAGINATE_BY

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
        _ajouter_erreur(form, exc)
        return self.render_to_response(self.get_context_data(form=form))


class EntrepriseCreateView(EntrepriseFormMixin, generic.FormView):
    form_class = forms.EntrepriseForm

    def plies(self):
        return _plies(self.request.user, acces.ROLES_ENTREPRISES)

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
            _ajouter_erreur(form, exc)
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
            .annotate(participant_visible=_participant_visible(user))
            .order_by("-updated_at")[:50],
        )
        if gere:
            context.setdefault("contact_form", forms.ContactForm(prefix="contact"))
        if gere_offres:
            context.setdefault("offre_form", forms.OffreForm(prefix="offre"))
        return context


# — Offres —


class OffreListView(AccesMixin, generic.ListView):
    roles = acces.ROLES_OFFRES | acces.ROLES_REFERENT
    template_name = "entreprises/offre_list.html"
    context_object_name = "offres"
    paginate_by = settings.PAGINATE_BY

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
        context.update(statut=self.statut, q=self.q, statuts=StatutOffre.choices)
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
        return (
            acces.parcours_visibles(self.request.user)
            .filter(plie_id=self.object.plie_id, statut__in=services.STATUTS_CANDIDAT)
            .exclude(mises_en_relation__offre=self.object)
            .select_related("participant")
            .order_by("participant__nom", "participant__prenom")
        )

    def peut_proposer(self):
        user = self.request.user
        return self.object.statut in STATUTS_OFFRE_OUVERTE and (
            user.is_superuser
            or acces.perimetre(user).a_role(self.object.plie_id, {Role.CRE, *acces.ROLES_REFERENT})
        )

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
        )

    def post(self, request, *args, **kwargs):
        self.object = offre = self.get_object()
        action = request.POST.get("action")
        user = request.user
        formulaires = {
            "qualifier": lambda: forms.ReponseForm(request.POST, prefix="qualifier"),
            "diffuser": lambda: self.diffusion_form(request.POST),
            "cloturer": lambda: forms.MotifForm(request.POST, prefix="cloturer"),
            "proposer": lambda: forms.PropositionForm(
                request.POST, prefix="proposer", parcours=self.candidats_possibles()
            ),
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
                _ajouter_erreur(form, exc)
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
            .annotate(participant_visible=_participant_visible(user)),
        )
        if gere and offre.statut == StatutOffre.COLLECTEE:
            context.setdefault("qualifier_form", forms.ReponseForm(prefix="qualifier"))
        if gere and offre.statut in STATUTS_OFFRE_OUVERTE:
            context.setdefault("diffuser_form", self.diffusion_form())
        if gere and offre.statut not in (StatutOffre.POURVUE, StatutOffre.CLOTUREE):
            context.setdefault("cloturer_form", forms.MotifForm(prefix="cloturer"))
        if self.peut_proposer():
            context.setdefault(
                "proposer_form",
                forms.PropositionForm(prefix="proposer", parcours=self.candidats_possibles()),
            )
        for nom in ("qualifier_form", "diffuser_form", "cloturer_form", "proposer_form"):
            context.setdefault(nom, None)
        return context


# — Mises en relation —


class MiseEnRelationDetailView(AccesMixin, generic.DetailView):
    roles = {Role.CRE, Role.ADMIN, *acces.ROLES_REFERENT}
    template_name = "entreprises/mise_detail.html"
    context_object_name = "mise"

    def get_object(self, queryset=None):
        user = self.request.user
        return get_object_or_404(
            acces.mises_en_relation_visibles(user)
            .select_related("offre__entreprise", "parcours__participant", "proposee_par")
            .annotate(participant_visible=_participant_visible(user)),
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
                _ajouter_erreur(form, exc)
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


# — Événements —


class EvenementListView(AccesMixin, generic.ListView):
    roles = acces.ROLES_OFFRES | acces.ROLES_REFERENT
    template_name = "entreprises/evenement_list.html"
    context_object_name = "evenements"
    paginate_by = settings.PAGINATE_BY

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
        return _plies(self.request.user, acces.ROLES_OFFRES)

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
                _ajouter_erreur(form, exc)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"] = self.get_form() if self.plies().exists() else None
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
        form = forms.EmargementForm(request.POST, request.FILES, parcours=self.candidats())
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
                _ajouter_erreur(form, exc)
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
        context.setdefault("form", forms.EmargementForm(parcours=self.candidats()))
        return context


# — Indicateurs —


class IndicateursView(AccesMixin, generic.TemplateView):
    roles = acces.ROLES_OFFRES
    template_name = "entreprises/indicateurs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plies = list(_plies(self.request.user, acces.ROLES_OFFRES))
        context["vues"] = indicateurs_par_plie(plies)
        return context
