"""Les écrans des clauses : donneurs d'ordre, opérations, marchés, lots, besoins, candidatures.

POUR LE HELPER « HEURES » (écrans d'heures et bilans) : l'application viewflow « Clauses » est la
classe `ClausesApplication` de `workflows/clauses.py` (app_name « clauses », montée sous
/app/clauses/). Ajoutez-y vos chemins par des attributs `<nom>_path = path(...)` (ex.
`heures_path = path("heures/", HeuresView.as_view(), name="heures")`), sans toucher aux autres ;
vos vues peuvent vivre dans vos propres modules. Prédicats d'accès : `acces.marches_visibles`,
`acces.operations_visibles` (bilans d'un donneur d'ordre : ses opérations seulement),
`acces.peut_faciliter(user, plie_id)` (saisie des heures).

Chaque liste et fiche passe par `parcours.acces` : hors périmètre, 404 ; sans connexion, la page
de connexion. Les listes ont un nombre de requêtes constant (select_related, annotations).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.clauses import services
from parcours.clauses.enums import (
    ModaliteClause,
    StatutBesoin,
    StatutPositionnement,
    TypeDonneurOrdre,
)
from parcours.clauses.forms import (
    BesoinForm,
    DonneurOrdreForm,
    LotForm,
    MarcheForm,
    OperationForm,
    signature,
)
from parcours.clauses.models import (
    HeuresRealisees,
    Lot,
    Positionnement,
)
from parcours.core import parametres
from parcours.core.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)

ERREURS_METIER = (
    TransitionInterdite,
    TransitionNonAutorisee,
    DonneesTransitionInvalides,
    ConflitTransition,
)


# — Mixins —


class AccesMixin(LoginRequiredMixin):
    """`acces(user)` : l'utilisateur tient-il un rôle qui ouvre cet écran ? Sinon 404."""

    def acces(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.acces(request.user):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)


class ListeMixin(AccesMixin, generic.ListView):
    paginate_by = settings.PAGINATE_BY
    filtres: tuple[str, ...] = ("q",)

    def valeurs_filtres(self):
        return {f: parametres.recherche(self.request.GET.get(f)) for f in self.filtres}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valeurs = self.valeurs_filtres()
        context["filtres"] = valeurs
        context["filtres_url"] = urlencode({k: v for k, v in valeurs.items() if v})
        context["peut_creer"] = (
            bool(acces.perimetre(self.request.user).plies(acces.ROLES_FACILITATION))
            or self.request.user.is_superuser
        )
        return context


class ModificationMixin(AccesMixin):
    """Créer ou modifier : réservé au facilitateur du PLIE de l'objet (403 s'il le voit sans
    pouvoir le modifier, 404 s'il ne le voit pas) ; une modification concurrente est refusée."""

    template_name = "clauses/formulaire.html"
    titre = ""

    def acces(self, user):
        return user.is_superuser or bool(acces.perimetre(user).plies(acces.ROLES_FACILITATION))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def plie_id_de(self, objet) -> int:
        raise NotImplementedError

    def verifier(self, objet):
        if (
            objet is not None
            and objet.pk
            and not acces.peut_faciliter(self.request.user, self.plie_id_de(objet))
        ):
            raise PermissionDenied("Seul le facilitateur clauses du PLIE modifie cette fiche.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objet = getattr(self, "object", None)
        context["titre"] = self.titre if not (objet and objet.pk) else f"Modifier : {objet}"
        context["retour"] = self.retour()
        return context

    def retour(self):
        return reverse("clauses:index")

    def form_valid(self, form):
        try:
            with transaction.atomic():
                if form.instance.pk:
                    actuel = (
                        type(form.instance).objects.select_for_update().get(pk=form.instance.pk)
                    )
                    if form.cleaned_data.get("version") != signature(actuel):
                        form.add_error(
                            None,
                            "Cette fiche vient d'être modifiée par une autre personne : "
                            "rechargez la page pour voir ses valeurs actuelles.",
                        )
                        return self.form_invalid(form)
                if not acces.peut_faciliter(self.request.user, self.plie_id_de(form.instance)):
                    raise PermissionDenied(
                        "Seul le facilitateur clauses du PLIE modifie cette fiche."
                    )
                self.object = form.save()
        except IntegrityError:
            form.add_error(None, "Cet enregistrement existe déjà (doublon).")
            return self.form_invalid(form)
        messages.success(self.request, f"« {self.object} » enregistré.")
        return HttpResponseRedirect(self.get_success_url())


def _voit_clauses(user) -> bool:
    return acces.voit_les_clauses(user)


def _voit_besoins(user) -> bool:
    return acces.voit_les_besoins(user)


# — Donneurs d'ordre —


class DonneurOrdreListView(ListeMixin):
    template_name = "clauses/donneur_ordre_list.html"
    context_object_name = "donneurs_ordre"
    filtres = ("q", "type")

    def acces(self, user):
        return _voit_clauses(user)

    def get_queryset(self):
        f = self.valeurs_filtres()
        qs = acces.donneurs_ordre_visibles(self.request.user).select_related("plie")
        qs = qs.annotate(nb_operations=Count("operations", distinct=True))
        if f["q"]:
            qs = qs.filter(nom__icontains=f["q"])
        if f["type"] in TypeDonneurOrdre.values:
            qs = qs.filter(type=f["type"])
        return qs.order_by("nom", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(types=TypeDonneurOrdre.choices, **kwargs)


class DonneurOrdreDetailView(AccesMixin, generic.DetailView):
    template_name = "clauses/donneur_ordre_detail.html"
    context_object_name = "donneur_ordre"

    def acces(self, user):
        return _voit_clauses(user)

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.donneurs_ordre_visibles(self.request.user).select_related("plie", "structure"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operations"] = acces.operations_visibles(
            self.request.user, self.object.operations.all()
        ).annotate(
            nb_marches=Count("marches", distinct=True),
            heures_prevues=Sum("marches__heures_prevues"),
        )
        context["peut_modifier"] = acces.peut_faciliter(self.request.user, self.object.plie_id)
        return context


class DonneurOrdreCreateView(ModificationMixin, generic.CreateView):
    form_class = DonneurOrdreForm
    titre = "Nouveau donneur d'ordre"

    def plie_id_de(self, objet):
        return objet.plie_id

    def get_success_url(self):
        return reverse("clauses:donneur_ordre", args=[self.object.pk])


class DonneurOrdreUpdateView(DonneurOrdreCreateView, generic.UpdateView):
    def get_object(self, queryset=None):
        objet = get_object_or_404(
            acces.donneurs_ordre_visibles(self.request.user), pk=self.kwargs["pk"]
        )
        self.verifier(objet)
        return objet


# — Opérations —


class OperationListView(ListeMixin):
    template_name = "clauses/operation_list.html"
    context_object_name = "operations"
    filtres = ("q", "donneur_ordre")

    def acces(self, user):
        return _voit_clauses(user)

    def get_queryset(self):
        f = self.valeurs_filtres()
        qs = acces.operations_visibles(self.request.user).select_related("donneur_ordre__plie")
        qs = qs.annotate(
            nb_marches=Count("marches", distinct=True),
            heures_prevues=Sum("marches__heures_prevues"),
        )
        if f["q"]:
            qs = qs.filter(nom__icontains=f["q"])
        if (donneur_ordre := parametres.identifiant(f["donneur_ordre"])) is not None:
            qs = qs.filter(donneur_ordre_id=donneur_ordre)
        return qs.order_by("nom", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["donneurs_ordre"] = acces.donneurs_ordre_visibles(self.request.user).order_by("nom")
        return context


class OperationDetailView(AccesMixin, generic.DetailView):
    template_name = "clauses/operation_detail.html"
    context_object_name = "operation"

    def acces(self, user):
        return _voit_clauses(user)

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.operations_visibles(self.request.user).select_related("donneur_ordre__plie"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["marches"] = _marches_annotes(
            acces.marches_visibles(self.request.user, self.object.marches.all())
        )
        context["peut_modifier"] = acces.peut_faciliter(
            self.request.user, self.object.donneur_ordre.plie_id
        )
        return context


class OperationCreateView(ModificationMixin, generic.CreateView):
    form_class = OperationForm
    titre = "Nouvelle opération"

    def get_initial(self):
        return {"donneur_ordre": parametres.identifiant(self.request.GET.get("donneur_ordre"))}

    def plie_id_de(self, objet):
        return objet.donneur_ordre.plie_id

    def get_success_url(self):
        return reverse("clauses:operation", args=[self.object.pk])


class OperationUpdateView(OperationCreateView, generic.UpdateView):
    def get_object(self, queryset=None):
        objet = get_object_or_404(
            acces.operations_visibles(self.request.user), pk=self.kwargs["pk"]
        )
        self.verifier(objet)
        return objet


# — Marchés et lots —


def _marches_annotes(qs):
    """Les marchés avec leurs heures réalisées et leurs besoins ouverts, sans N+1."""
    heures = (
        HeuresRealisees.objects.filter(marche=OuterRef("pk"))
        .values("marche")
        .annotate(total=Sum("heures"))
        .values("total")[:1]
    )
    return qs.select_related("operation__donneur_ordre", "attributaire").annotate(
        heures_realisees=Coalesce(
            Subquery(heures, output_field=DecimalField()), Value(0), output_field=DecimalField()
        ),
        nb_besoins_ouverts=Count(
            "besoins", filter=Q(besoins__statut=StatutBesoin.OUVERT), distinct=True
        ),
    )


class MarcheListView(ListeMixin):
    template_name = "clauses/marche_list.html"
    context_object_name = "marches"
    filtres = ("q", "modalite", "operation", "en_cours")

    def acces(self, user):
        return _voit_clauses(user)

    def get_queryset(self):
        from django.utils import timezone

        f = self.valeurs_filtres()
        qs = _marches_annotes(acces.marches_visibles(self.request.user))
        if f["q"]:
            qs = qs.filter(Q(numero__icontains=f["q"]) | Q(intitule__icontains=f["q"]))
        if f["modalite"] in ModaliteClause.values:
            qs = qs.filter(modalite_clause=f["modalite"])
        if (operation := parametres.identifiant(f["operation"])) is not None:
            qs = qs.filter(operation_id=operation)
        if f["en_cours"] == "1":
            aujourd_hui = timezone.localdate()
            qs = qs.filter(
                Q(date_fin__isnull=True) | Q(date_fin__gte=aujourd_hui), date_debut__lte=aujourd_hui
            )
        return qs.order_by("numero", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(modalites=ModaliteClause.choices, **kwargs)


class MarcheDetailView(AccesMixin, generic.DetailView):
    template_name = "clauses/marche_detail.html"
    context_object_name = "marche"

    def acces(self, user):
        return _voit_clauses(user)

    def get_object(self, queryset=None):
        return get_object_or_404(
            _marches_annotes(acces.marches_visibles(self.request.user)).select_related("plie"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            lots=self.object.lots.all(),
            sous_traitants=self.object.sous_traitants.all(),
            besoins=acces.besoins_visibles(user, self.object.besoins.all())
            .select_related("lot")
            .annotate(nb_candidatures=Count("positionnements")),
            voit_besoins=acces.voit_les_besoins(user),
            peut_modifier=acces.peut_faciliter(user, self.object.plie_id),
        )
        return context


class MarcheCreateView(ModificationMixin, generic.CreateView):
    form_class = MarcheForm
    titre = "Nouveau marché"

    def get_initial(self):
        return {"operation": parametres.identifiant(self.request.GET.get("operation"))}

    def plie_id_de(self, objet):
        return objet.operation.donneur_ordre.plie_id

    def get_success_url(self):
        return reverse("clauses:marche", args=[self.object.pk])


class MarcheUpdateView(MarcheCreateView, generic.UpdateView):
    def get_object(self, queryset=None):
        objet = get_object_or_404(acces.marches_visibles(self.request.user), pk=self.kwargs["pk"])
        self.verifier(objet)
        return objet


class LotCreateView(ModificationMixin, generic.CreateView):
    form_class = LotForm
    titre = "Nouveau lot"

    def get_marche(self):
        if not hasattr(self, "_marche"):
            pk = self.kwargs.get("marche_pk") or self.object.marche_id
            self._marche = get_object_or_404(acces.marches_visibles(self.request.user), pk=pk)
            if not acces.peut_faciliter(self.request.user, self._marche.plie_id):
                raise PermissionDenied("Seul le facilitateur clauses du PLIE modifie ce marché.")
        return self._marche

    def get_form_kwargs(self):
        kwargs = generic.edit.ModelFormMixin.get_form_kwargs(self)
        kwargs["marche"] = self.get_marche()
        return kwargs

    def form_valid(self, form):
        form.instance.marche = self.get_marche()
        return super().form_valid(form)

    def plie_id_de(self, objet):
        return self.get_marche().plie_id

    def retour(self):
        return reverse("clauses:marche", args=[self.get_marche().pk])

    def get_success_url(self):
        return self.retour()


class LotUpdateView(LotCreateView, generic.UpdateView):
    def get_object(self, queryset=None):
        lot = get_object_or_404(
            Lot.objects.filter(marche__in=acces.marches_visibles(self.request.user)),
            pk=self.kwargs["pk"],
        )
        self._marche = lot.marche
        self.verifier(lot)
        return lot


# — Besoins —


class BesoinListView(ListeMixin):
    """Les besoins : l'index de l'application. Pour les référents et prescripteurs, ce sont les
    opportunités ouvertes sur lesquelles proposer leurs candidats."""

    template_name = "clauses/besoin_list.html"
    context_object_name = "besoins"
    filtres = ("q", "statut", "marche")

    def acces(self, user):
        return _voit_besoins(user) or _voit_clauses(user)

    def get(self, request, *args, **kwargs):
        if not _voit_besoins(request.user):
            # Un donneur d'ordre lit ses opérations, pas les besoins : sa page d'entrée.
            return HttpResponseRedirect(reverse("clauses:operations"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        f = self.valeurs_filtres()
        qs = acces.besoins_visibles(self.request.user).select_related(
            "marche__operation__donneur_ordre", "marche__attributaire", "lot", "facilitateur"
        )
        mes_candidatures = acces.positionnements_visibles(self.request.user).values("pk")
        qs = qs.annotate(
            nb_candidatures=Count(
                "positionnements",
                filter=Q(positionnements__in=mes_candidatures),
                distinct=True,
            ),
            nb_embauches=Count(
                "positionnements",
                filter=Q(positionnements__statut=StatutPositionnement.EMBAUCHEE),
                distinct=True,
            ),
        )
        if f["q"]:
            qs = qs.filter(
                Q(poste__icontains=f["q"])
                | Q(marche__numero__icontains=f["q"])
                | Q(marche__intitule__icontains=f["q"])
            )
        if f["statut"] in StatutBesoin.values:
            qs = qs.filter(statut=f["statut"])
        if (marche := parametres.identifiant(f["marche"])) is not None:
            qs = qs.filter(marche_id=marche)
        return qs.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuts=StatutBesoin.choices, **kwargs)


def taches_ouvertes(user, positionnements):
    """La tâche ouverte de chaque candidature (une requête), pour un lien « Traiter »."""
    from django.contrib.contenttypes.models import ContentType

    ids = [str(p.pk) for p in positionnements]
    taches = (
        Task.objects.filter(
            process__artifact_content_type=ContentType.objects.get_for_model(Positionnement),
            process__artifact_object_id__in=ids,
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )
        .select_related("process", "owner")
        .order_by("id")
    )
    par_positionnement = {}
    for tache in taches:
        tache.url = (
            tache.flow_task.reverse("execute", args=[tache.process_id, tache.pk])
            if tache.owner_id == user.pk
            else None
        )
        par_positionnement[int(tache.process.artifact_object_id)] = tache
    return par_positionnement


class BesoinDetailView(AccesMixin, generic.DetailView):
    template_name = "clauses/besoin_detail.html"
    context_object_name = "besoin"

    def acces(self, user):
        return _voit_besoins(user)

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.besoins_visibles(self.request.user).select_related(
                "marche__operation__donneur_ordre", "marche__attributaire", "lot", "facilitateur"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        candidatures = list(
            acces.positionnements_visibles(user, self.object.positionnements.all())
            .select_related(
                "participant", "candidat_externe", "propose_par", "structure_proposante"
            )
            .order_by("created_at", "id")
        )
        taches = taches_ouvertes(user, candidatures)
        for c in candidatures:
            c.tache = taches.get(c.pk)
        plie_id = self.object.marche.plie_id
        context.update(
            candidatures=candidatures,
            peut_faciliter=acces.peut_faciliter(user, plie_id),
            peut_proposer=acces.peut_proposer(user, plie_id)
            and self.object.statut == StatutBesoin.OUVERT,
            voit_marche=acces.marches_visibles(user).filter(pk=self.object.marche_id).exists(),
        )
        return context


class BesoinCreateView(ModificationMixin, generic.CreateView):
    form_class = BesoinForm
    titre = "Nouveau besoin"

    def get_initial(self):
        return {"marche": parametres.identifiant(self.request.GET.get("marche"))}

    def plie_id_de(self, objet):
        return objet.marche.plie_id

    def form_valid(self, form):
        donnees = {k: v for k, v in form.cleaned_data.items() if k != "marche"}
        try:
            self.object = services.enregistrer_besoin(
                par=self.request.user, marche=form.cleaned_data["marche"], **donnees
            )
        except ERREURS_METIER as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Besoin « {self.object.poste} » enregistré : diffusez-le aux référents et "
            "prescripteurs.",
        )
        return HttpResponseRedirect(reverse("clauses:besoin", args=[self.object.pk]))


class BesoinActionView(AccesMixin, generic.View):
    """Diffuser ou clore un besoin (POST, facilitateur du PLIE)."""

    action = ""

    def acces(self, user):
        return _voit_besoins(user)

    def post(self, request, pk):
        besoin = get_object_or_404(acces.besoins_visibles(request.user), pk=pk)
        if not acces.peut_faciliter(request.user, besoin.marche.plie_id):
            raise PermissionDenied("Seul le facilitateur clauses du PLIE gère ce besoin.")
        url = request.build_absolute_uri(reverse("clauses:besoin", args=[besoin.pk]))
        try:
            if self.action == "diffuser":
                courriel = services.diffuser_besoin(besoin, par=request.user, url=url)
                messages.success(
                    request,
                    f"Besoin diffusé à {len(courriel.destinataires)} référent(s) et "
                    "prescripteur(s).",
                )
            else:
                pourvu = request.POST.get("pourvu") == "1"
                services.clore_besoin(besoin, par=request.user, pourvu=pourvu)
                messages.success(request, "Besoin clos.")
        except ERREURS_METIER as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("clauses:besoin", args=[besoin.pk]))


# — Candidatures —


class CandidatureDetailView(AccesMixin, generic.DetailView):
    """Une candidature : la personne (le strict nécessaire), l'éligibilité expliquée, le journal.

    Le facilitateur voit ici le participant sans accéder à son parcours (002:L547)."""

    template_name = "clauses/candidature_detail.html"
    context_object_name = "candidature"

    def acces(self, user):
        return _voit_besoins(user)

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.positionnements_visibles(self.request.user).select_related(
                "besoin__marche__attributaire",
                "besoin__facilitateur",
                "participant",
                "candidat_externe",
                "propose_par",
                "structure_proposante",
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        personne = self.object.personne
        context.update(
            personne=personne,
            age=_age(personne.date_naissance),
            journal=self.object.transitions.select_related("par"),
            tache=taches_ouvertes(user, [self.object]).get(self.object.pk),
            lien_participant=self.object.participant_id
            and acces.peut_voir(user, self.object.participant),
        )
        return context


def _age(date_naissance):
    from django.utils import timezone

    from parcours.referentiel.calendrier import mois_revolus

    return mois_revolus(date_naissance, timezone.localdate()) // 12
