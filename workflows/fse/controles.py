"""Les écrans du contrôle de service fait (docs/controle.md) : tirer ou désigner l'échantillon,
l'ouvrir à un contrôleur, lire chaque dossier et télécharger les ZIP. Tout passe par la
politique d'accès (`acces.controles_visibles`, `acces.peut_conduire_le_controle`) : 404 ailleurs."""

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.core.enums import Role
from parcours.reporting import controles
from parcours.reporting.periode import periode
from parcours.rgpd.controle import dossier, ecrire_zip
from parcours.tracabilite.consultations import tracer_consultation
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer
from workflows.entree.forms import DateInput
from workflows.formulaires import SaisieControleeMixin


def _erreurs(form, exc: ValidationError):
    erreurs = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for champ, textes in erreurs.items():
        form.add_error(champ if champ in form.fields else None, textes)


class ControleMixin(LoginRequiredMixin):
    """Le contrôle de l'URL, lu dans les contrôles visibles (404 sinon)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.controle = get_object_or_404(
            acces.controles_visibles(request.user).select_related(
                "operation__plie", "operation__structure_porteuse", "par"
            ),
            pk=kwargs["pk"],
        )
        self.conduit = acces.peut_conduire_le_controle(request.user, self.controle)
        return super().dispatch(request, *args, **kwargs)

    def participation(self, ppk):
        return get_object_or_404(
            acces.participations_controlees(self.request.user, self.controle).select_related(
                "parcours__participant"
            ),
            pk=ppk,
        )


class ControleListView(LoginRequiredMixin, generic.ListView):
    """Les contrôles qu'on voit ; la page d'arrivée « FSE+ » du contrôleur."""

    template_name = "fse/controle_list.html"
    context_object_name = "controles"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not acces.voit_le_menu_fse(request.user):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            acces.controles_visibles(self.request.user)
            .select_related("operation__plie", "par")
            .annotate(nb=Count("participations"))
            .order_by("-le", "-pk")
        )


class ControleForm(SaisieControleeMixin, forms.Form):
    du = forms.DateField(label="Du", widget=DateInput())
    au = forms.DateField(label="Au", widget=DateInput())
    motif = forms.CharField(label="Motif ou référence du contrôle", max_length=200)
    taille = forms.IntegerField(
        label="Nombre de participants à tirer au sort", required=False, min_value=1
    )
    graine = forms.IntegerField(
        label="Graine (pour refaire un tirage connu ; vide : tirée au hasard)",
        required=False,
        min_value=0,
        max_value=2**62,
    )
    numeros = forms.CharField(
        label="Ou participants désignés (numéros, ex. P000123, P000456)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ControleCreerView(LoginRequiredMixin, generic.FormView):
    template_name = "fse/controle_form.html"
    form_class = ControleForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.operation = get_object_or_404(
            acces.operations_fse_nominatives(request.user).select_related("plie"),
            pk=kwargs["pk"],
        )
        if not acces.peut_tirer_un_controle(request.user, self.operation):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(operation=self.operation, **kwargs)

    def form_valid(self, form):
        donnees = form.cleaned_data
        try:
            p = periode(donnees["du"], donnees["au"])
            commun = {"par": self.request.user, "motif": donnees["motif"], "request": self.request}
            if donnees["numeros"].strip():
                controle = controles.designer(self.operation, p, donnees["numeros"], **commun)
            elif donnees["taille"]:
                controle = controles.tirer(
                    self.operation, p, donnees["taille"], graine=donnees["graine"], **commun
                )
            else:
                raise ValidationError(
                    {"taille": "Indiquez le nombre de participants à tirer, ou leurs numéros."}
                )
        except ValidationError as exc:
            _erreurs(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Échantillon constitué : {controle.taille} participant(s).")
        return HttpResponseRedirect(reverse("fse:controle", args=[controle.pk]))


class OuvrirForm(SaisieControleeMixin, forms.Form):
    controleur = forms.CharField(label="Identifiant du contrôleur", max_length=150)
    expire_le = forms.DateField(label="Accès ouvert jusqu'au", widget=DateInput())


class ControleDetailView(ControleMixin, generic.TemplateView):
    template_name = "fse/controle_detail.html"

    def get_context_data(self, **kwargs):
        c = self.controle
        context = super().get_context_data(controle=c, conduit=self.conduit, **kwargs)
        context["participations"] = list(
            c.participations.select_related("parcours__participant").order_by("pk")
        )
        if self.conduit:
            context["acces_ouverts"] = list(c.acces.select_related("controleur", "ouvert_par"))
            context["aujourdhui"] = timezone.localdate()
            context["form"] = kwargs.get("form") or OuvrirForm()
        return context


class OuvrirView(ControleMixin, generic.View):
    """Ouvre le contrôle à un compte qui tient le rôle contrôleur dans ce PLIE."""

    def post(self, request, pk):
        if not self.conduit:
            raise Http404("Page introuvable.")
        form = OuvrirForm(request.POST)
        if form.is_valid():
            controleur = (
                get_user_model()
                .objects.filter(
                    username=form.cleaned_data["controleur"],
                    memberships__role=Role.CONTROLEUR,
                    memberships__structure__plie=self.controle.operation.plie_id,
                )
                .first()
            )
            if controleur is None:
                form.add_error(
                    "controleur",
                    "Aucun compte contrôleur de ce PLIE n'a cet identifiant : l'administrateur du "
                    "PLIE crée le compte avec le rôle « Contrôleur » d'abord.",
                )
            else:
                try:
                    controles.ouvrir(
                        self.controle,
                        controleur,
                        form.cleaned_data["expire_le"],
                        par=request.user,
                        request=request,
                    )
                except ValidationError as exc:
                    _erreurs(form, exc)
        if form.errors:
            vue = ControleDetailView(request=request, kwargs=self.kwargs)
            vue.controle, vue.conduit = self.controle, self.conduit
            return vue.render_to_response(vue.get_context_data(form=form), status=200)
        messages.success(request, f"Contrôle ouvert à {controleur.get_username()}.")
        return HttpResponseRedirect(reverse("fse:controle", args=[pk]))


class RetirerView(ControleMixin, generic.View):
    """Retire l'accès d'un contrôleur avant sa date de fin."""

    def post(self, request, pk, apk):
        if not self.conduit:
            raise Http404("Page introuvable.")
        ouvert = get_object_or_404(
            self.controle.acces.select_related("controleur", "controle__operation"), pk=apk
        )
        controles.retirer(ouvert, par=request.user, request=request)
        messages.success(request, f"Accès de {ouvert.controleur.get_username()} retiré.")
        return HttpResponseRedirect(reverse("fse:controle", args=[pk]))


class DossierView(ControleMixin, generic.TemplateView):
    """Le dossier d'un participant tiré, en lecture : ce que contient le PDF du ZIP."""

    template_name = "fse/controle_dossier.html"

    def get_context_data(self, **kwargs):
        participation = self.participation(self.kwargs["ppk"])
        d = dossier(self.controle, participation, par=self.request.user)
        tracer_consultation(
            self.request,
            plie_id=self.controle.operation.plie_id,
            participant_id=participation.parcours.participant_id,
            objet_type="controle_fse",
            objet_id=self.controle.pk,
            detail=f"Dossier du contrôle de service fait n° {self.controle.pk}",
        )
        return super().get_context_data(d=d, controle=self.controle, **kwargs)


def _morceaux(fichier, taille=1024 * 1024):
    with fichier:
        while bloc := fichier.read(taille):
            yield bloc


class ZipMixin(ControleMixin):
    def zip(self, participations, nom, quoi):
        # Écrit sur disque (pas en mémoire), envoyé par morceaux, effacé une fois fermé.
        fichier = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            documents = ecrire_zip(fichier, self.controle, participations, par=self.request.user)
        except BaseException:
            fichier.close()
            raise
        fichier.seek(0)
        tracer(
            TypeTrace.CONTROLE,
            request=self.request,
            plie=self.controle.operation.plie_id,
            participant_id=participations[0].parcours.participant_id
            if len(participations) == 1
            else None,
            objet_type="controle_fse",
            objet_id=self.controle.pk,
            detail=f"Téléchargement du ZIP {quoi} ({len(participations)} dossier(s), "
            f"{documents} document(s))",
        )
        reponse = StreamingHttpResponse(_morceaux(fichier), content_type="application/zip")
        reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
        reponse["Cache-Control"] = "private, no-store"
        reponse["X-Content-Type-Options"] = "nosniff"
        return reponse


class ZipDossierView(ZipMixin, generic.View):
    def get(self, request, pk, ppk):
        participation = self.participation(ppk)
        numero = participation.parcours.participant.numero
        nom = f"controle-{self.controle.pk}-{numero}.zip"
        return self.zip([participation], nom, f"du dossier {numero}")


class ZipControleView(ZipMixin, generic.View):
    def get(self, request, pk):
        participations = list(
            acces.participations_controlees(request.user, self.controle)
            .select_related("parcours__participant")
            .order_by("pk")
        )
        if not participations:
            raise Http404("Page introuvable.")
        return self.zip(participations, f"controle-{self.controle.pk}.zip", "de l'échantillon")
