"""Les écrans de commission : la liste des sessions (et la planification), l'écran de séance
(ordre du jour, inscription, envoi, décisions rapides du président, clôture).

Une décision enregistrée fait avancer le flux du dossier (`reactions.avancer_flux_entree` ;
pour une sortie, `workflows.emploi.reactions.avancer_flux_sortie`), dans la transaction de la
décision.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.commissions import services
from parcours.commissions.enums import (
    DECISIONS_ENTREE,
    DECISIONS_SORTIE,
    STATUTS_SESSION_OUVERTE,
    ObjetDossier,
)
from parcours.commissions.errors import ErreurCommission
from parcours.core.enums import Role
from parcours.core.models import PLIE, User
from workflows import autocompletion
from workflows.commissions.forms import (
    DecisionForm,
    InscriptionForm,
    PlanifierForm,
    SaisieInvalide,
    lire,
)
from workflows.commissions.reactions import avancer_flux_entree
from workflows.emploi.reactions import avancer_flux_sortie
from workflows.taches import ERREURS_METIER

CANDIDATS_PAR_LIGNE = 5  # les meilleurs référents proposés par ligne ; les autres se cherchent
A_INSCRIRE_MAX = 50


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
        ouverte = session.statut in STATUTS_SESSION_OUVERTE
        a_suggerer = [
            ligne.parcours
            for ligne in lignes
            if ouverte and ligne.decision is None and ligne.objet != ObjetDossier.SORTIE
        ]
        # Par lot : deux requêtes pour tout l'ordre du jour ; par ligne, les meilleurs candidats
        # seulement, les autres par l'autocomplétion (pas toutes les options à chaque ligne).
        suggestions = services.suggerer_referents_par_lot(a_suggerer) if a_suggerer else {}
        for ligne in lignes:
            ligne.sortie = ligne.objet == ObjetDossier.SORTIE
            ligne.decisions = [
                (d.value, d.label) for d in (DECISIONS_SORTIE if ligne.sortie else DECISIONS_ENTREE)
            ]
            toutes = suggestions.get(ligne.parcours.pk, [])
            ligne.suggestions = toutes[:CANDIDATS_PAR_LIGNE]
            ligne.autres_candidats = len(toutes) - len(ligne.suggestions)
        gere = acces.peut_gerer_les_sessions(user, session.plie_id)
        context.update(
            lignes=lignes,
            nom_commission=services.nom_commission(session),
            gere=gere,
            decide=acces.peut_decider_en_session(user, session),
            ouverte=ouverte,
            decisions=[(d.value, d.label) for d in DECISIONS_ENTREE],
            url_referents=autocompletion.url("referents", session.plie_id),
        )
        a_inscrire = []
        if gere and ouverte:
            # Borné : au-delà, la séance suivante (ou l'écran du dossier) les inscrit.
            a_inscrire = list(
                services.dossiers_a_inscrire(session.plie).select_related("participant")[
                    : A_INSCRIRE_MAX + 1
                ]
            )
        context.update(
            a_inscrire=a_inscrire[:A_INSCRIRE_MAX],
            a_inscrire_plus=len(a_inscrire) > A_INSCRIRE_MAX,
            a_inscrire_max=A_INSCRIRE_MAX,
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = session = self.get_object()
        action = request.POST.get("action")
        try:
            if action == "decider":
                self.decider(session)
            elif action == "inscrire":
                donnees = lire(InscriptionForm(request.POST))
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
        donnees = lire(DecisionForm(request.POST))
        parcours = get_object_or_404(
            Parcours.objects.filter(inscriptions_commission__session=session),
            pk=donnees["parcours"],
        )
        referent = None
        choisi = donnees["autre_referent"] or donnees["referent"]
        if choisi:
            referent = get_object_or_404(User, pk=choisi)
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
