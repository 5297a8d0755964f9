"""Les écrans de commission : la liste des sessions (et la planification, les dossiers « à
placer »), l'écran de séance (ordre du jour, inscription, envoi, décisions rapides). Les gestes
qui demandent confirmation (clôturer, retirer de l'ordre du jour) sont dans `gestes.py`.

L'état de la séance décide des actions offertes : aucune n'est affichée qui serait refusée.

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
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.commissions import services
from parcours.commissions.enums import (
    DECISIONS_ENTREE,
    STATUTS_SESSION_ANNULABLE,
    STATUTS_SESSION_DECISION,
    STATUTS_SESSION_INSCRIPTIBLE,
    STATUTS_SESSION_OUVERTE,
    STATUTS_SESSION_RETRAIT,
    ObjetDossier,
    StatutSession,
    TypeDecision,
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
from workflows.commissions.lignes import (
    bornes_de_page,
    nombre_de_pages,
    page_du_dossier,
    pages_affichees,
    preparer,
)
from workflows.commissions.reactions import avancer_flux_entree
from workflows.emploi.reactions import avancer_flux_sortie
from workflows.pagination import page_bornee
from workflows.taches import ERREURS_METIER

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
            # Les dossiers qui attendent une séance ouverte : une requête agrégée.
            comptes = services.comptes_a_placer(plies)
            context["a_placer"] = [
                (plie, comptes.get(plie.pk, {"entree": 0, "sortie": 0})) for plie in plies
            ]
            # Séances dont la date est passée sans décision : à tenir ou à déclarer non tenues.
            context["non_tenues"] = list(
                services.seances_passees_non_tenues([p.pk for p in plies]).select_related(
                    "plie", "territoire"
                )[:20]
            )
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

    def get_context_data(self, saisie=None, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        user = self.request.user
        # Une page de l'ordre du jour ; le sommaire (clés seules) compte et situe les lignes.
        sommaire = services.sommaire_de_session(session)
        pages = nombre_de_pages(len(sommaire))
        numero = (saisie and page_du_dossier(sommaire, saisie.get("parcours"))) or page_bornee(
            self.request, self.request.GET.get("page"), pages
        )
        debut, fin = bornes_de_page(numero)
        lignes = services.lignes_de_session(session, [pk for pk, _ in sommaire[debut:fin]])
        gere = acces.peut_gerer_les_sessions(user, session.plie_id)
        decide = acces.peut_decider_en_session(user, session)
        # Ce que l'état de la séance permet (le service refuserait le reste).
        statut = session.statut
        inscriptible = statut in STATUTS_SESSION_INSCRIPTIBLE
        jour_atteint = services.jour_de_decision_atteint(session)
        decisions_ouvertes = statut in STATUTS_SESSION_DECISION and (
            jour_atteint
            or statut == StatutSession.EN_COURS
            or services.decisions_anticipees(session)
        )
        a_suggerer = [
            ligne.parcours
            for ligne in lignes
            if decide
            and decisions_ouvertes
            and ligne.decision is None
            and ligne.objet != ObjetDossier.SORTIE
        ]
        # Par lot : deux requêtes pour tout l'ordre du jour ; par ligne, les meilleurs candidats
        # seulement, les autres par l'autocomplétion (pas toutes les options à chaque ligne).
        suggestions = services.suggerer_referents_par_lot(a_suggerer) if a_suggerer else {}
        preparer(lignes, suggestions, session.date_locale.date(), saisie)
        non_decides = sum(1 for _pk, decide in sommaire if not decide)
        context.update(
            lignes=lignes,
            total=len(sommaire),
            page=numero,
            pages=pages_affichees(numero, pages) if pages > 1 else (),
            premiere_ligne=debut + 1,
            derniere_ligne=debut + len(lignes),
            nom_commission=services.nom_commission(session),
            gere=gere,
            decide=decide and decisions_ouvertes,
            decisions_a_venir=decide
            and statut in STATUTS_SESSION_DECISION
            and not decisions_ouvertes,
            ouverte=statut in STATUTS_SESSION_OUVERTE,
            # Ce que `envoyer_ordre_du_jour` exige : à venir, un ordre du jour, des membres.
            peut_envoyer=gere
            and inscriptible
            and session.date > timezone.now()
            and bool(sommaire)
            and session.membres.exists(),
            peut_retirer=gere and statut in STATUTS_SESSION_RETRAIT,
            peut_cloturer=statut in (StatutSession.EN_COURS, StatutSession.TENUE)
            and acces.peut_cloturer_la_session(user, session),
            peut_annuler=gere and statut in STATUTS_SESSION_ANNULABLE,
            seance_passee=session.date < timezone.now(),
            annulation=session.transitions.select_related("par")
            .filter(transition="annuler")
            .first()
            if statut == StatutSession.ANNULEE
            else None,
            non_decides=non_decides,
            decisions=[(d.value, d.label) for d in DECISIONS_ENTREE],
            url_referents=autocompletion.url("referents", session.plie_id),
        )
        a_inscrire = []
        if gere and inscriptible:
            # Seuls les dossiers que cette séance peut examiner (son type, son territoire) ;
            # bornés : au-delà, la séance suivante (ou l'écran du dossier) les inscrit.
            a_inscrire = list(
                services.dossiers_a_inscrire(session.plie, session).select_related("participant")[
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
                return self.decider(session)
            if action == "inscrire":
                donnees = lire(InscriptionForm(request.POST))
                parcours = get_object_or_404(
                    acces.parcours_visibles(request.user), pk=donnees["parcours"]
                )
                services.inscrire_a_la_session(session, parcours, par=request.user)
                messages.success(request, f"{parcours.participant} inscrit·e à l'ordre du jour.")
                return HttpResponseRedirect(self.adresse_du_dossier(session, parcours))
            elif action == "envoyer":
                courriels = services.envoyer_ordre_du_jour(session, par=request.user)
                messages.success(request, f"Ordre du jour envoyé ({len(courriels)} courriel(s)).")
        except (ErreurCommission, SaisieInvalide, *ERREURS_METIER) as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("commissions:detail", args=[session.pk]))

    def decider(self, session):
        """Une décision ; refusée, la page est réaffichée avec ce qui a été saisi sur la ligne
        (la décision choisie, le motif, le référent), et le message sur cette ligne."""
        request = self.request
        saisie = {
            "parcours": _entier(request.POST.get("parcours")),
            "decision": request.POST.get("decision", ""),
            "motif": request.POST.get("motif", ""),
            "referent": _entier(request.POST.get("referent")),
            "autre_referent": request.POST.get("autre_referent", ""),
        }
        try:
            parcours = self.enregistrer_decision(session)
        except (ErreurCommission, SaisieInvalide, *ERREURS_METIER) as exc:
            saisie["erreur"] = str(exc)
            messages.error(request, str(exc))
            self.object = self.get_object()  # l'état relu après le refus
            return self.render_to_response(self.get_context_data(saisie=saisie))
        messages.success(
            request, f"{parcours.participant} : {parcours.get_statut_display().lower()}."
        )
        return HttpResponseRedirect(self.adresse_du_dossier(session, parcours))

    def adresse_du_dossier(self, session, parcours) -> str:
        """La page de l'ordre du jour qui montre ce dossier, ancrée sur sa ligne."""
        page = page_du_dossier(services.sommaire_de_session(session), parcours.pk) or 1
        url = reverse("commissions:detail", args=[session.pk])
        return f"{url}{f'?page={page}' if page > 1 else ''}#dossier-{parcours.pk}"

    def enregistrer_decision(self, session):
        request = self.request
        donnees = lire(DecisionForm(request.POST))
        parcours = get_object_or_404(
            Parcours.objects.filter(inscriptions_commission__session=session),
            pk=donnees["parcours"],
        )
        referent = None
        # Le référent ne compte que pour une admission (il est présélectionné sur chaque ligne).
        choisi = donnees["autre_referent"] or donnees["referent"]
        if choisi and donnees["decision"] == TypeDecision.ADMIS:
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
        return parcours


def _entier(valeur):
    try:
        return int(valeur)
    except (TypeError, ValueError):
        return None
