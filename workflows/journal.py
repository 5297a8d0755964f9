"""Le journal des accès d'un PLIE (docs/rgpd.md) : qui a ouvert quel dossier, téléchargé quel
document, exporté quelle liste ou les données d'une personne, qui s'est connecté, a échoué, a été
refusé ; et ce que la conservation a effacé.

Pour l'administrateur et la direction du PLIE (`acces.traces_visibles`) ; 404 pour les autres.
Filtres par type, utilisateur, période et participant ; pages de 50 lignes sans compter toute la
table (le journal grossit à chaque page vue) : « plus anciens » tant qu'il en reste.
"""

import datetime
import functools
import re

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.views import generic
from viewflow.urls import Application

from parcours import acces
from parcours.core.documents import TypeDocument
from parcours.core.models import PLIE
from parcours.tracabilite.enums import TypeTrace
from workflows.formulaires import SaisieControleeMixin

PAR_PAGE = 50
NUMERO_PARTICIPANT = re.compile(r"^[Pp]?0*(\d{1,12})$")

# L'objet d'une trace en français : le code reste en base (et dans les exports) ; l'écran le dit.
OBJETS = {
    "parcours": "Dossier",
    "participant": "Participant",
    "tableau_impact": "Tableau d'impact",
    "structure": "Structure",
    "compte": "Compte",
    "adhesion": "Adhésion",
    "referentiel": "Référentiel",
    **{t.value: t.label for t in TypeDocument},
}


@functools.cache
def libelle_objet(objet_type: str) -> str:
    """« Dossier », « Pièce d'entrée », le nom d'un modèle ; une vue (refus) : « page
    participants:dossier » n'a pas de meilleur nom que son adresse, montrée à côté."""
    if objet_type in OBJETS:
        return OBJETS[objet_type]
    modeles = {m._meta.model_name: m for m in apps.get_models()}
    modele = modeles.get(objet_type)
    return capfirst(modele._meta.verbose_name) if modele else objet_type


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FiltresJournalForm(SaisieControleeMixin, forms.Form):
    type = forms.ChoiceField(
        label="Type", choices=[("", "Tous"), *TypeTrace.choices], required=False
    )
    utilisateur = forms.CharField(
        label="Utilisateur", max_length=150, required=False, help_text="identifiant ou nom"
    )
    du = forms.DateField(label="Du", required=False, widget=DateInput())
    au = forms.DateField(label="Au", required=False, widget=DateInput())
    participant = forms.CharField(
        label="Participant", max_length=20, required=False, help_text="numéro, ex. P000123"
    )
    plie = forms.ModelChoiceField(
        label="PLIE", queryset=PLIE.objects.none(), required=False, empty_label="Tous"
    )
    # Hors limites ou illisible : la première page (un champ caché n'affiche pas son erreur).
    page = forms.IntegerField(
        min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, plies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plie"].queryset = plies if plies is not None else PLIE.objects.none()

    def clean_participant(self):
        valeur = self.cleaned_data["participant"].strip()
        if not valeur:
            return None
        correspondance = NUMERO_PARTICIPANT.match(valeur)
        if not correspondance:
            raise forms.ValidationError(
                f"Participant : numéro invalide « {valeur} » (ex. P000123 ou 123)."
            )
        return int(correspondance.group(1))

    def clean(self):
        cleaned = super().clean()
        du, au = cleaned.get("du"), cleaned.get("au")
        if du and au and au < du:
            self.add_error("au", "Au : la fin de la période précède son début.")
        return cleaned


def _debut_du_jour(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))


def filtrer(traces, filtres: dict):
    """Applique les filtres valides (`cleaned_data`) ; un filtre vide ne restreint rien."""
    if filtres.get("type"):
        traces = traces.filter(type=filtres["type"])
    if filtres.get("utilisateur"):
        texte = filtres["utilisateur"].strip()
        traces = traces.filter(
            Q(identifiant__icontains=texte)
            | Q(user__last_name__icontains=texte)
            | Q(user__first_name__icontains=texte)
        )
    if filtres.get("du"):
        traces = traces.filter(at__gte=_debut_du_jour(filtres["du"]))
    if filtres.get("au"):
        traces = traces.filter(at__lt=_debut_du_jour(filtres["au"] + datetime.timedelta(days=1)))
    if filtres.get("participant") is not None:
        traces = traces.filter(participant_id=filtres["participant"])
    if filtres.get("plie"):
        traces = traces.filter(plie=filtres["plie"])
    return traces


class JournalView(LoginRequiredMixin, generic.TemplateView):
    template_name = "journal/journal.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not acces.voit_le_journal(request.user):
            raise Http404("Aucune page ne correspond à cette adresse.")
        return super().dispatch(request, *args, **kwargs)

    def plies(self):
        user = self.request.user
        if user.is_superuser:
            return PLIE.objects.order_by("nom")
        return PLIE.objects.filter(
            pk__in=acces.perimetre(user).plies(acces.ROLES_JOURNAL)
        ).order_by("nom")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plies = self.plies()
        form = FiltresJournalForm(self.request.GET or None, plies=plies)
        filtres = {}
        if form.is_bound:
            form.is_valid()
            # Un filtre invalide est signalé et ignoré ; les autres s'appliquent.
            filtres = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        numero = filtres.get("page") or 1
        traces = filtrer(acces.traces_visibles(self.request.user), filtres)
        debut = (numero - 1) * PAR_PAGE
        lignes = list(
            traces.select_related("user", "plie").order_by("-at", "-id")[
                debut : debut + PAR_PAGE + 1
            ]
        )
        parametres = self.request.GET.copy()
        parametres.pop("page", None)
        for trace in lignes:
            trace.objet_libelle = libelle_objet(trace.objet_type) if trace.objet_type else ""
        context.update(
            form=form,
            traces=lignes[:PAR_PAGE],
            page=numero,
            page_precedente=numero - 1 if numero > 1 else None,
            page_suivante=numero + 1 if len(lignes) > PAR_PAGE else None,
            parametres=parametres.urlencode(),
            plusieurs_plie=len(plies) > 1,
            conservation_jours=settings.PLIE_TRACES_CONSERVATION_JOURS,
        )
        return context


class JournalApplication(Application):
    """Le journal des accès : entrée de menu et lien de l'administration du PLIE."""

    title = "Journal des accès"
    icon = "history"
    app_name = "journal"
    menu_template_name = None
    index_path = path("", JournalView.as_view(), name="index")
