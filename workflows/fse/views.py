"""Les écrans des opérations FSE+ et de l'export Ma Démarche FSE (docs/fse.md)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.accompagnement import engagement
from parcours.accompagnement.models import ParticipationFse
from parcours.core.errors import TransitionInterdite, TransitionNonAutorisee
from parcours.reporting.ma_demarche_fse import preparer_export
from parcours.reporting.ma_demarche_fse.controle import FICHE, QUESTIONNAIRE, SORTIE, anomalie_de
from parcours.reporting.ma_demarche_fse.export import ExportIncomplet
from parcours.reporting.ma_demarche_fse.filtre import participations_en_anomalie
from parcours.reporting.periode import periode
from workflows.entree.forms import DateInput, questionnaire_form_class
from workflows.formulaires import SaisieControleeMixin
from workflows.pagination import Cle, CurseurIllisible, page_par_cle

PARTICIPANTS_MAX = 200  # la fiche montre les premiers ; l'export les contient tous
ANOMALIES_PAR_PAGE = 50


class AccesMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not acces.voit_les_operations_fse(request.user):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)


class PeriodeForm(SaisieControleeMixin, forms.Form):
    du = forms.DateField(label="Du", required=False, widget=DateInput())
    au = forms.DateField(label="Au", required=False, widget=DateInput())
    fichier = forms.ChoiceField(
        label="Fichier",
        choices=[("entrees", "Entrées"), ("sorties", "Sorties")],
        required=False,
    )

    def periode(self):
        """La période, ou None avec les erreurs sur le formulaire (réaffiché tel quel)."""
        if not self.is_valid():
            return None
        try:
            return periode(self.cleaned_data["du"], self.cleaned_data["au"])
        except ValidationError as exc:
            for champ, messages_ in exc.message_dict.items():
                for m in messages_:
                    self.add_error(champ, m)
            return None

    @property
    def sorties(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("fichier") == "sorties"


class OperationListView(AccesMixin, generic.ListView):
    template_name = "fse/operation_list.html"
    context_object_name = "operations"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        # Le contrôleur ne voit aucune opération : « FSE+ » le mène à ses contrôles.
        user = request.user
        if (
            user.is_authenticated
            and not acces.voit_les_operations_fse(user)
            and acces.voit_les_controles(user)
        ):
            return HttpResponseRedirect(reverse("fse:controles"))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            acces.operations_fse_visibles(self.request.user)
            .select_related("plie", "structure_porteuse")
            .annotate(
                nb_participations=Count("participations", distinct=True),
                nb_en_cours=Count(
                    "participations",
                    filter=Q(participations__date_sortie__isnull=True),
                    distinct=True,
                ),
            )
            .order_by("plie__nom", "-debut", "numero")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["peut_declarer"] = bool(acces.plies_declarant_operations_fse(self.request.user))
        context["voit_les_bilans"] = acces.voit_les_bilans(self.request.user)
        return context


def _lien(anomalie, cible: str | None) -> str:
    if cible == FICHE:
        return reverse("fse:coordonnees", args=[anomalie.participation_id])
    if cible == QUESTIONNAIRE:
        return reverse("fse:questionnaire", args=[anomalie.participation_id])
    if cible == SORTIE:
        return reverse("emploi:donnees_sortie", args=[anomalie.parcours_id])
    return reverse("participants:dossier", args=[anomalie.parcours_id])


def page_d_anomalies(request, operation, p, sorties: bool):
    """Une page des anomalies du contrôle, lue par clé (date du fichier, pk) parmi les seules
    participations en anomalie (filtre SQL), et leur nombre : la page ne grandit pas avec
    l'opération. Un curseur illisible ou périmé ramène à la première page avec un message."""
    qs = participations_en_anomalie(operation, p, sorties)
    cles = [Cle(F("date_sortie" if sorties else "date_entree")), Cle(F("pk"))]
    apres, avant = request.GET.get("apres", ""), request.GET.get("avant", "")
    try:
        page = page_par_cle(qs, cles, ANOMALIES_PAR_PAGE, apres=apres, avant=avant)
    except CurseurIllisible:
        messages.warning(request, "Lien de page illisible : première page des anomalies.")
        page = page_par_cle(qs, cles, ANOMALIES_PAR_PAGE)
    if (apres or avant) and not page.lignes:
        messages.warning(request, "Plus aucune anomalie à cet endroit : première page.")
        page = page_par_cle(qs, cles, ANOMALIES_PAR_PAGE)
    # Sans curseur, la page a compté la liste (`COUNT(*) OVER ()`) ; sinon, une requête.
    total = page.total if page.total is not None else qs.count()
    anomalies = [a for a in (anomalie_de(ligne, sorties) for ligne in page.lignes) if a]
    for a in anomalies:
        a.liens = [(pb.texte, _lien(a, pb.a_corriger)) for pb in a.problemes]
    return anomalies, page, total


class OperationDetailView(AccesMixin, generic.DetailView):
    template_name = "fse/operation_detail.html"
    context_object_name = "operation"

    def get_object(self, queryset=None):
        qs = acces.operations_fse_visibles(self.request.user).select_related(
            "plie", "structure_porteuse"
        )
        return get_object_or_404(qs.prefetch_related("financeurs"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        op, user = self.object, self.request.user
        aujourdhui = timezone.localdate()
        context["chiffres"] = op.participations.aggregate(
            total=Count("pk"),
            en_cours=Count("pk", filter=Q(date_sortie__isnull=True)),
            sorties=Count("pk", filter=Q(date_sortie__isnull=False)),
            entrees_annee=Count("pk", filter=Q(date_entree__year=aujourdhui.year)),
        )
        context["peut_modifier"] = acces.peut_declarer_operations_fse(user, op.plie_id)
        nominatif = acces.peut_voir_les_participants_fse(user, op)
        context["nominatif"] = nominatif
        if not nominatif:
            return context
        context["participations"] = list(
            op.participations.select_related("parcours__participant").order_by(
                "-date_entree", "-pk"
            )[:PARTICIPANTS_MAX]
        )
        context["participants_max"] = PARTICIPANTS_MAX
        # Une action financée : les étapes de parcours qui la nomment, avec leur participant.
        context["etapes"] = list(
            op.etapes.select_related("parcours__participant").order_by("-date_debut", "-pk")[
                :PARTICIPANTS_MAX
            ]
        )
        context["exports"] = list(op.exports.select_related("par")[:10])
        context["controles"] = list(op.controles.select_related("par")[:10])
        form = PeriodeForm(self.request.GET or None)
        context["form"] = form
        p = form.periode() if self.request.GET else None
        if p is not None:
            anomalies, page, total = page_d_anomalies(self.request, op, p, form.sorties)
            filtres = self.request.GET.copy()
            for cle in ("apres", "avant"):
                filtres.pop(cle, None)
            context.update(
                periode=p,
                anomalies=anomalies,
                page_anomalies=page,
                nb_anomalies=total,
                anomalies_par_page=ANOMALIES_PAR_PAGE,
                filtres=filtres.urlencode(),
                sorties=form.sorties,
                controle=True,
            )
        return context


class ExportView(AccesMixin, generic.View):
    """Le fichier Ma Démarche FSE, streamé ; données incomplètes → retour au contrôle."""

    def get(self, request, pk):
        op = get_object_or_404(
            acces.operations_fse_nominatives(request.user).select_related("plie"), pk=pk
        )
        if not acces.peut_exporter_fse(request.user, op):
            raise Http404("Page introuvable.")
        form = PeriodeForm(request.GET)
        p = form.periode()
        retour = reverse("fse:operation", args=[op.pk]) + "?" + request.GET.urlencode()
        if p is None:
            for erreurs in form.errors.values():
                for m in erreurs:
                    messages.error(request, m)
            return HttpResponseRedirect(retour)
        partiel = request.GET.get("partiel") == "1"
        try:
            export = preparer_export(
                op, p, sorties=form.sorties, partiel=partiel, par=request.user, request=request
            )
        except ExportIncomplet as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(retour)
        reponse = StreamingHttpResponse(
            (m.encode("utf-8") for m in export.morceaux()), content_type="text/csv; charset=utf-8"
        )
        reponse["Content-Disposition"] = f'attachment; filename="{export.nom_de_fichier}"'
        return reponse


class QuestionnaireView(AccesMixin, generic.FormView):
    """Rectifier le questionnaire FSE+ d'une participation (lien du contrôle préalable)."""

    template_name = "fse/questionnaire.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        visibles = acces.parcours_visibles(request.user)
        self.participation = get_object_or_404(
            ParticipationFse.objects.select_related(
                "operation", "parcours__participant", "questionnaire"
            ).filter(parcours__in=visibles),
            pk=kwargs["pk"],
        )
        if not acces.peut_voir_les_participants_fse(request.user, self.participation.operation):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return questionnaire_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = getattr(self.participation, "questionnaire", None)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participation=self.participation,
            questionnaire=getattr(self.participation, "questionnaire", None),
            **kwargs,
        )

    def form_valid(self, form):
        p = self.participation
        try:
            engagement.enregistrer_questionnaire(
                p.parcours,
                self.request.user,
                {c: form.cleaned_data.get(c) for c in form.Meta.fields},
                participation_id=p.pk,
            )
        except ValidationError as exc:
            erreurs_par_champ = (
                exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            )
            for champ, erreurs in erreurs_par_champ.items():
                form.add_error(champ if champ in form.fields else None, erreurs)
            return self.form_invalid(form)
        except (TransitionInterdite, TransitionNonAutorisee, PermissionDenied) as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, "Questionnaire FSE+ enregistré.")
        return HttpResponseRedirect(reverse("fse:operation", args=[p.operation_id]))
