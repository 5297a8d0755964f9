"""Les gestes de séance qui demandent confirmation : clôturer (les dossiers encore sans décision
listés, les présents cochés), retirer un dossier de l'ordre du jour, annuler la séance (ou la
déclarer non tenue : ses dossiers repartent).

Chaque écran n'existe que si le geste est possible : une séance hors périmètre, un dossier absent
de l'ordre du jour, un utilisateur qui ne peut pas faire le geste, ou un état de séance qui ne le
permet plus reçoivent 404 (le bouton n'est pas affiché sur l'écran de séance)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.commissions import services
from parcours.commissions.enums import (
    STATUTS_SESSION_ANNULABLE,
    STATUTS_SESSION_RETRAIT,
    StatutSession,
)
from parcours.commissions.errors import ErreurCommission
from workflows.formulaires import SaisieControleeMixin
from workflows.taches import ERREURS_METIER


def _session_visible(request, pk):
    return get_object_or_404(
        acces.sessions_visibles(request.user).select_related("plie", "territoire", "president"),
        pk=pk,
    )


class PresentsForm(SaisieControleeMixin, forms.Form):
    presents = forms.ModelMultipleChoiceField(
        label="Membres présents",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez ceux qui ont siégé : le procès-verbal les nomme.",
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"].queryset = session.membres.order_by("last_name", "first_name")


class ClotureView(LoginRequiredMixin, generic.TemplateView):
    """Confirmer la clôture : les dossiers encore sans décision (à décider ou à retirer) et les
    membres présents, cochés par défaut."""

    template_name = "commissions/cloturer.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.session = _session_visible(request, kwargs["pk"])
        if self.session.statut not in (
            StatutSession.EN_COURS,
            StatutSession.TENUE,
        ) or not acces.peut_cloturer_la_session(request.user, self.session):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        session = self.session
        if form is None:
            form = PresentsForm(session=session, initial={"presents": list(session.membres.all())})
        sans_decision = list(services.dossiers_sans_decision(session))
        return super().get_context_data(
            session=session,
            nom_commission=services.nom_commission(session),
            form=form,
            sans_decision=sans_decision,
            nb_decisions=session.decisions.count(),
            peut_retirer=acces.peut_gerer_les_sessions(self.request.user, session.plie_id),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = PresentsForm(request.POST, session=self.session)
        if form.is_valid():
            try:
                services.cloturer_session(
                    self.session, par=request.user, presents=list(form.cleaned_data["presents"])
                )
            except (ErreurCommission, *ERREURS_METIER) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "Séance clôturée : procès-verbal établi, prescripteurs informés."
                )
                return HttpResponseRedirect(reverse("commissions:detail", args=[self.session.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class RetraitView(LoginRequiredMixin, generic.TemplateView):
    """Confirmer le retrait d'un dossier non décidé de l'ordre du jour (son état ne change pas :
    il attendra une autre séance)."""

    template_name = "commissions/retirer.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.session = _session_visible(request, kwargs["pk"])
        if self.session.statut not in STATUTS_SESSION_RETRAIT or not acces.peut_gerer_les_sessions(
            request.user, self.session.plie_id
        ):
            raise Http404
        self.inscription = get_object_or_404(
            self.session.inscriptions.select_related("parcours__participant"),
            parcours_id=kwargs["parcours"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.session,
            nom_commission=services.nom_commission(self.session),
            inscription=self.inscription,
            decision=self.session.decisions.filter(
                parcours_id=self.inscription.parcours_id
            ).first(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        parcours = self.inscription.parcours
        try:
            services.retirer_de_l_ordre_du_jour(self.session, parcours, par=request.user)
        except ErreurCommission as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{parcours.participant} retiré·e de l'ordre du jour : le dossier attend une "
                "autre séance.",
            )
        return HttpResponseRedirect(reverse("commissions:detail", args=[self.session.pk]))


class AnnulationForm(SaisieControleeMixin, forms.Form):
    motif = forms.CharField(
        label="Motif",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Inscrit au journal de la séance (par exemple « quorum non atteint »).",
        error_messages={
            "required": "Indiquez le motif de l'annulation : il est inscrit au journal de la "
            "séance."
        },
    )


class AnnulationView(LoginRequiredMixin, generic.TemplateView):
    """Confirmer l'annulation d'une séance sans décision (ou la déclarer non tenue, sa date
    passée) : ses dossiers et la séance où chacun repartira sont listés avant."""

    template_name = "commissions/annuler.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.session = _session_visible(request, kwargs["pk"])
        if self.session.statut not in STATUTS_SESSION_ANNULABLE or not (
            acces.peut_gerer_les_sessions(request.user, self.session.plie_id)
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        session = self.session
        inscriptions = list(
            session.inscriptions.select_related("parcours__participant").order_by("ordre", "id")
        )
        # Où chaque dossier repartira : la prochaine séance planifiée qui peut l'examiner.
        suivantes = services.destinations(session, [i.parcours for i in inscriptions])
        for inscription in inscriptions:
            inscription.suivante = suivantes[inscription.parcours_id]
        return super().get_context_data(
            session=session,
            nom_commission=services.nom_commission(session),
            form=form or AnnulationForm(),
            inscriptions=inscriptions,
            passee=session.date < timezone.now(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = AnnulationForm(request.POST)
        if form.is_valid():
            try:
                annulation = services.annuler_session(
                    self.session, par=request.user, motif=form.cleaned_data["motif"]
                )
            except ErreurCommission as exc:
                form.add_error(None, str(exc))
            else:
                message = "Séance annulée."
                if annulation.replaces:
                    message += (
                        f" {len(annulation.replaces)} dossier(s) inscrit(s) à la séance suivante."
                    )
                if annulation.a_placer:
                    message += (
                        f" {len(annulation.a_placer)} dossier(s) à placer : aucune séance "
                        "planifiée ne peut les examiner."
                    )
                messages.success(request, message)
                return HttpResponseRedirect(reverse("commissions:detail", args=[self.session.pk]))
        return self.render_to_response(self.get_context_data(form=form))
