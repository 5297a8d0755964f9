"""Les écrans du référentiel des opérations : donneurs d'ordre, opérations, marchés, lots.

Chaque liste et fiche passe par `parcours.acces` : hors périmètre, 404 ; sans connexion, la page
de connexion. Les listes ont un nombre de requêtes constant (select_related, annotations). Seul
le facilitateur du PLIE crée et modifie (`ModificationMixin`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.clauses.enums import ModaliteClause, StatutBesoin, TypeDonneurOrdre
from parcours.clauses.models import Besoin, HeuresRealisees, Lot
from parcours.core import parametres
from workflows.clauses.forms import DonneurOrdreForm, LotForm, MarcheForm, OperationForm
from workflows.clauses.views.mixins import AccesMixin, ListeMixin, ModificationMixin

# — Donneurs d'ordre —


class DonneurOrdreListView(ListeMixin):
    template_name = "clauses/donneur_ordre_list.html"
    context_object_name = "donneurs_ordre"
    filtres = ("q", "type")

    def acces(self, user):
        return acces.voit_les_clauses(user)

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
        return acces.voit_les_clauses(user)

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
        return acces.voit_les_clauses(user)

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
        return acces.voit_les_clauses(user)

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
    """Les marchés avec leurs heures réalisées et leurs besoins ouverts, sans N+1 : des
    sous-requêtes par marché plutôt qu'un GROUP BY, pour que la page (LIMIT) et le comptage ne
    calculent que ce qu'ils montrent (issue 11 : ×32 à 100 000 participants)."""
    return qs.select_related("operation__donneur_ordre", "attributaire").annotate(
        heures_realisees=_par_marche(HeuresRealisees.objects, Sum("heures"), DecimalField()),
        nb_besoins_ouverts=_par_marche(
            Besoin.objects.filter(statut=StatutBesoin.OUVERT), Count("pk"), IntegerField()
        ),
    )


def _par_marche(objets, agregat, champ):
    """`agregat` des `objets` du marché de la ligne (sous-requête corrélée sur `marche_id`,
    0 sans objet)."""
    sous_requete = (
        objets.filter(marche=OuterRef("pk")).values("marche").annotate(v=agregat).values("v")
    )
    return Coalesce(Subquery(sous_requete, output_field=champ), Value(0), output_field=champ)


class MarcheListView(ListeMixin):
    template_name = "clauses/marche_list.html"
    context_object_name = "marches"
    filtres = ("q", "modalite", "operation", "en_cours")

    def acces(self, user):
        return acces.voit_les_clauses(user)

    def get_queryset(self):
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
        return acces.voit_les_clauses(user)

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
