"""Les écrans de commission : séances, ordre du jour et décisions rapides du président.

Une décision enregistrée fait avancer le flux d'entrée du dossier (nœud « Décision de la
commission d'entrée ») : admis → tâche « Premier entretien » chez le référent désigné.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic
from viewflow.workflow.status import STATUS

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.commissions import services
from parcours.commissions.enums import (
    DECISIONS_ENTREE,
    DECISIONS_SORTIE,
    STATUTS_SESSION_OUVERTE,
    ObjetDossier,
    TypeCommission,
)
from parcours.commissions.errors import ErreurCommission
from parcours.core.enums import Role
from parcours.core.form_mixins import SaisieControleeMixin
from parcours.core.models import Membership, User
from workflows.taches import ERREURS_METIER


def avancer_flux_sortie(parcours):
    """Décision de sortie : le flux de sortie du dossier passe à la suite (workflows.emploi)."""
    from workflows.emploi.reactions import avancer_flux_sortie as avancer

    avancer(parcours)


def avancer_flux_entree(parcours):
    """Termine le nœud d'attente de la décision du flux d'entrée de ce dossier, s'il y en a un."""
    from workflows.flows import EntreeFlow

    tache = (
        EntreeFlow.task_class.objects.filter(
            process__artifact_object_id=parcours.pk,
            process__flow_class=EntreeFlow,
            flow_task=EntreeFlow.decision_commission,
            status=STATUS.NEW,
        )
        .order_by("-id")
        .first()
    )
    if tache is not None:
        EntreeFlow.decision_commission.run(tache)


class PlanifierForm(SaisieControleeMixin, forms.Form):
    date = forms.DateTimeField(
        label="Date et heure", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    type = forms.ChoiceField(
        label="Type", choices=TypeCommission.choices, initial=TypeCommission.ENTREE
    )
    territoire = forms.ModelChoiceField(label="Territoire", queryset=None, required=False)
    lieu = forms.CharField(label="Lieu", max_length=200, required=False)
    membres = forms.ModelMultipleChoiceField(label="Membres", queryset=None, required=False)
    president = forms.ModelChoiceField(label="Président·e", queryset=None, required=False)

    def __init__(self, *args, plie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = plie.territoires.all()
        # Peuvent siéger : membres de commission, animation et direction du PLIE.
        ids = (
            Membership.objects.actives()
            .filter(
                structure__plie=plie, role__in=[Role.COMMISSION, Role.ANIMATEUR, Role.DIRECTION]
            )
            .values("user_id")
        )
        sieges = User.objects.filter(pk__in=ids).order_by("last_name", "first_name")
        self.fields["membres"].queryset = sieges
        self.fields["president"].queryset = sieges


class InscriptionForm(SaisieControleeMixin, forms.Form):
    """Les champs postés par l'écran de séance (écrits dans le gabarit) : lus avant usage."""

    parcours = forms.IntegerField(label="Dossier", min_value=1)


class DecisionForm(InscriptionForm):
    decision = forms.CharField(label="Décision", max_length=30)
    motif = forms.CharField(label="Motif", required=False, widget=forms.Textarea)
    referent = forms.IntegerField(label="Référent", required=False, min_value=1)


class SaisieInvalide(Exception):
    """Un champ posté à l'écran de séance est invalide : le message nomme le champ."""

    def __init__(self, form):
        super().__init__(
            " ".join(
                f"{form.fields[nom].label} : {message}"
                for nom, messages_champ in form.errors.items()
                for message in messages_champ
            )
        )


def _lire(form):
    if not form.is_valid():
        raise SaisieInvalide(form)
    return form.cleaned_data


class SessionListView(LoginRequiredMixin, generic.ListView):
    template_name = "workflows/sessions.html"
    context_object_name = "sessions"
    paginate_by = settings.PAGINATE_BY

    def get_queryset(self):
        self.periode = self.request.GET.get("periode", "a_venir")
        qs = acces.sessions_visibles(self.request.user).select_related(
            "plie", "territoire", "president"
        )
        qs = qs.annotate(nb_dossiers=Count("inscriptions", distinct=True))
        if self.periode == "passees":
            return qs.exclude(statut__in=STATUTS_SESSION_OUVERTE).order_by("-date")
        return qs.filter(statut__in=STATUTS_SESSION_OUVERTE).order_by("date")

    def plies_gerees(self):
        from parcours.core.models import PLIE

        p = acces.perimetre(self.request.user)
        return PLIE.objects.filter(pk__in=p.plies({Role.ANIMATEUR, Role.DIRECTION})).order_by("nom")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plies = list(self.plies_gerees())
        context.update(periode=self.periode, plies=plies)
        if plies:
            context.setdefault("form", PlanifierForm(plie=plies[0]))
            context["plie_planification"] = plies[0]
        return context

    def post(self, request, *args, **kwargs):
        plies = {p.code: p for p in self.plies_gerees()}
        plie = plies.get(request.POST.get("plie"))
        if plie is None:
            raise Http404
        form = PlanifierForm(request.POST, plie=plie)
        if form.is_valid():
            try:
                session = services.planifier_session(
                    plie=plie,
                    type=form.cleaned_data["type"],
                    date=form.cleaned_data["date"],
                    territoire=form.cleaned_data["territoire"],
                    lieu=form.cleaned_data["lieu"],
                    membres=form.cleaned_data["membres"],
                    president=form.cleaned_data["president"],
                    par=request.user,
                )
            except ErreurCommission as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{session.libelle} planifiée.")
                return HttpResponseRedirect(reverse("commissions:detail", args=[session.pk]))
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


class SessionDetailView(LoginRequiredMixin, generic.DetailView):
    """L'écran de séance : l'ordre du jour et, pour chaque dossier, une décision en un geste."""

    template_name = "workflows/session.html"
    context_object_name = "session"

    def get_object(self, queryset=None):
        return get_object_or_404(
            acces.sessions_visibles(self.request.user).select_related(
                "plie", "territoire", "president"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        user = self.request.user
        lignes = services.lignes_de_session(session)
        for ligne in lignes:
            ligne.sortie = ligne.objet == ObjetDossier.SORTIE
            ligne.decisions = [
                (d.value, d.label) for d in (DECISIONS_SORTIE if ligne.sortie else DECISIONS_ENTREE)
            ]
            ligne.suggestions = []
            ouverte = ligne.decision is None and session.statut in STATUTS_SESSION_OUVERTE
            if ouverte and not ligne.sortie:
                ligne.suggestions = services.suggerer_referents(ligne.parcours)
        gere = acces.peut_gerer_les_sessions(user, session.plie_id)
        context.update(
            lignes=lignes,
            nom_commission=services.nom_commission(session),
            gere=gere,
            decide=acces.peut_decider_en_session(user, session),
            ouverte=session.statut in STATUTS_SESSION_OUVERTE,
            decisions=[(d.value, d.label) for d in DECISIONS_ENTREE],
            a_inscrire=services.dossiers_a_inscrire(session.plie).select_related("participant")
            if gere and session.statut in STATUTS_SESSION_OUVERTE
            else [],
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        action = request.POST.get("action")
        try:
            if action == "decider":
                self.decider(session)
            elif action == "inscrire":
                donnees = _lire(InscriptionForm(request.POST))
                parcours = get_object_or_404(
                    acces.parcours_visibles(request.user), pk=donnees["parcours"]
                )
                services.inscrire_a_la_session(session, parcours, par=request.user)
                messages.success(request, f"{parcours.participant} inscrit·e à l'ordre du jour.")
            elif action == "envoyer":
                courriels = services.envoyer_ordre_du_jour(session, par=request.user)
                messages.success(request, f"Ordre du jour envoyé ({len(courriels)} courriel(s)).")
            elif action == "cloturer":
                services.cloturer_session(session, par=request.user)
                messages.success(
                    request, "Séance clôturée : procès-verbal généré, prescripteurs informés."
                )
        except (ErreurCommission, SaisieInvalide, *ERREURS_METIER) as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("commissions:detail", args=[session.pk]))

    def decider(self, session):
        request = self.request
        donnees = _lire(DecisionForm(request.POST))
        parcours = get_object_or_404(
            Parcours.objects.filter(inscriptions_commission__session=session),
            pk=donnees["parcours"],
        )
        referent = None
        if donnees["referent"]:
            referent = get_object_or_404(User, pk=donnees["referent"])
        with transaction.atomic():
            services.decider(
                session,
                parcours,
                donnees["decision"],
                par=request.user,
                motif=donnees["motif"],
                referent=referent,
            )
            parcours.refresh_from_db()
            avancer_flux_entree(parcours)
            avancer_flux_sortie(parcours)
        messages.success(
            request, f"{parcours.participant} : {parcours.get_statut_display().lower()}."
        )
