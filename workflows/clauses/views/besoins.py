"""Les écrans des besoins : la liste (l'index de l'application : les opportunités sur
lesquelles référents et prescripteurs proposent leurs candidats), la fiche, la création, la
diffusion et la clôture (facilitateur du PLIE)."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.clauses import services
from parcours.clauses.enums import StatutBesoin, StatutPositionnement
from parcours.clauses.models import Positionnement
from parcours.core import parametres
from workflows.clauses.forms import BesoinForm
from workflows.clauses.views.mixins import AccesMixin, ListeMixin, ModificationMixin
from workflows.taches import ERREURS_METIER

# — Besoins —


class BesoinListView(ListeMixin):
    """Les besoins : l'index de l'application. Pour les référents et prescripteurs, ce sont les
    opportunités ouvertes sur lesquelles proposer leurs candidats."""

    template_name = "clauses/besoin_list.html"
    context_object_name = "besoins"
    filtres = ("q", "statut", "marche")

    def acces(self, user):
        return acces.voit_les_besoins(user) or acces.voit_les_clauses(user)

    def get(self, request, *args, **kwargs):
        if not acces.voit_les_besoins(request.user):
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


def lien_besoin(besoin) -> str:
    """L'adresse de la fiche du besoin : le courriel de diffusion la donne."""
    return reverse("clauses:besoin", args=[besoin.pk])


def taches_ouvertes(user, positionnements):
    """La tâche ouverte de chaque candidature (une requête), pour un lien « Traiter »."""
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
        return acces.voit_les_besoins(user)

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
        return acces.voit_les_besoins(user)

    def post(self, request, pk):
        besoin = get_object_or_404(acces.besoins_visibles(request.user), pk=pk)
        if not acces.peut_faciliter(request.user, besoin.marche.plie_id):
            raise PermissionDenied("Seul le facilitateur clauses du PLIE gère ce besoin.")
        url = request.build_absolute_uri(lien_besoin(besoin))
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
