"""La page « Bilans » (menu FSE+) : le bilan d'activité annuel du PLIE et le bilan d'exécution
d'une opération sur une période, en PDF ou en XLSX (docs/bilans.md).

L'objet (PLIE, opération) est lu par la politique d'accès (`parcours/acces/bilans.py`) avant
toute validation : hors périmètre, 404. Une saisie invalide (année, période inversée ou ouverte)
réaffiche la page avec le message et la saisie. Chaque téléchargement est journalisé."""

import tempfile

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.core.models import PLIE
from parcours.reporting import bilans
from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer
from workflows.entree.forms import DateInput
from workflows.formulaires import SaisieControleeMixin

FORMATS = ("pdf", "xlsx")
GABARIT = "fse/bilans.html"


class ActiviteForm(SaisieControleeMixin, forms.Form):
    plie = forms.TypedChoiceField(label="PLIE", coerce=int)
    annee = forms.IntegerField(
        label="Année",
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": "Indiquez l'année sur quatre chiffres (par exemple 2025)."},
    )

    def __init__(self, *args, plies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plie"].choices = [(p.pk, p.nom) for p in plies]
        self.fields["annee"].initial = timezone.localdate().year - 1


class ExecutionForm(SaisieControleeMixin, forms.Form):
    operation = forms.TypedChoiceField(label="Opération", coerce=int)
    du = forms.DateField(label="Du", required=False, widget=DateInput())
    au = forms.DateField(label="Au", required=False, widget=DateInput())

    def __init__(self, *args, operations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].choices = [
            (o.pk, f"{o.numero} — {o.libelle} ({o.plie.nom})") for o in operations
        ]

    def clean(self):
        donnees = super().clean()
        if "du" in donnees and "au" in donnees:
            try:
                donnees["periode"] = bilans.periode_de_bilan(donnees["du"], donnees["au"])
            except ValidationError as exc:
                for champ, messages_ in exc.message_dict.items():
                    for m in messages_:
                        self.add_error(champ, m)
        return donnees


class BilansMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not acces.voit_les_bilans(request.user):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def plies(self):
        ids = acces.plies_bilan_activite(self.request.user)
        return list(PLIE.objects.filter(pk__in=ids).order_by("nom")) if ids else []

    def operations(self):
        return acces.operations_bilan_execution(self.request.user).select_related(
            "plie", "structure_porteuse"
        )

    def page(self, activite=None, execution=None, status=200):
        plies, operations = self.plies(), list(self.operations().order_by("plie__nom", "numero"))
        contexte = {
            "plies": plies,
            "operations": operations,
            "form_activite": activite or ActiviteForm(plies=plies),
            "form_execution": execution or ExecutionForm(operations=operations),
        }
        return render(self.request, GABARIT, contexte, status=status)


class BilansView(BilansMixin, generic.View):
    def get(self, request):
        return self.page()


def _format(request) -> str:
    format_ = request.GET.get("format", "pdf")
    if format_ not in FORMATS:
        raise Http404("Format inconnu.")
    return format_


def _fichier(bilan, format_: str):
    if format_ == "pdf":
        reponse = HttpResponse(bilans.bilan_pdf(bilan), content_type="application/pdf")
        reponse["Content-Disposition"] = f'attachment; filename="{bilan.nom_de_fichier}.pdf"'
        return reponse
    # Le classeur s'écrit dans un fichier temporaire, envoyé par morceaux puis supprimé.
    fichier = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse le ferme)
    bilans.ecrire_xlsx(bilan, fichier)
    fichier.seek(0)
    return FileResponse(
        fichier,
        as_attachment=True,
        filename=f"{bilan.nom_de_fichier}.xlsx",
        content_type=bilans.TYPE_XLSX,
    )


def _tracer(request, bilan, format_: str, objet_type: str, objet_id):
    tracer(
        TypeTrace.EXPORT,
        request=request,
        plie=bilan.plie.pk,
        objet_type=objet_type,
        objet_id=objet_id,
        detail=f"{bilan.titre} ({format_.upper()}) — {bilan.objet} — "
        f"{len(bilan.tableaux)} indicateurs",
    )


def _entier(valeur) -> int:
    try:
        return int(valeur)
    except (TypeError, ValueError):
        raise Http404("Page introuvable.") from None


class BilanActiviteView(BilansMixin, generic.View):
    def get(self, request):
        format_ = _format(request)
        plie_id = _entier(request.GET.get("plie"))
        if not acces.peut_editer_bilan_activite(request.user, plie_id):
            raise Http404("Page introuvable.")
        plie = PLIE.objects.filter(pk=plie_id).first()
        if plie is None:
            raise Http404("Page introuvable.")
        form = ActiviteForm(request.GET, plies=[plie])
        if not form.is_valid():
            return self.page(activite=ActiviteForm(request.GET, plies=self.plies()))
        bilan = bilans.bilan_activite(plie, form.cleaned_data["annee"], par=request.user)
        _tracer(request, bilan, format_, "bilan_activite", plie.pk)
        return _fichier(bilan, format_)


class BilanExecutionView(BilansMixin, generic.View):
    def get(self, request):
        format_ = _format(request)
        operation_id = _entier(request.GET.get("operation"))
        operation = self.operations().select_related("plie").filter(pk=operation_id).first()
        if operation is None:
            raise Http404("Page introuvable.")
        form = ExecutionForm(request.GET, operations=[operation])
        if not form.is_valid():
            operations = list(self.operations().order_by("plie__nom", "numero"))
            return self.page(execution=ExecutionForm(request.GET, operations=operations))
        bilan = bilans.bilan_execution(operation, form.cleaned_data["periode"], par=request.user)
        _tracer(request, bilan, format_, "bilan_execution", operation.pk)
        return _fichier(bilan, format_)
