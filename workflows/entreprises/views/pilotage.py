"""Le pilotage des relations entreprises : la boîte du ou de la CRE (« À traiter ») et les
indicateurs.

La boîte : ce qui attend le geste du ou de la CRE dans les relations entreprises.

Choix (docs/entreprises.md) : pas de flux viewflow pour les offres et les mises en relation.
L'état de l'objet (django-fsm) dit déjà qui agit : une offre « collectée » attend sa
qualification, une offre « qualifiée » sa diffusion, une mise en relation « proposée » ou
« entretien » la réponse de l'entreprise, que le ou la CRE relance. Ces gestes reviennent à
l'équipe CRE du PLIE, sans affectation nominative ni minuteur : une page calculée en SQL depuis
ces états suffit et ne peut pas diverger d'eux (un processus viewflow en doublerait l'état).
Les suivis dans l'emploi, eux, sont des tâches viewflow (flux de suivi) : la page y renvoie.
"""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.views import generic

from parcours import acces
from parcours.core.enums import Role
from parcours.core.models import PLIE
from parcours.entreprises.enums import STATUTS_MER_EN_ATTENTE, StatutOffre
from parcours.entreprises.indicateurs import indicateurs_par_plie
from workflows import access as workflows_access
from workflows.entreprises.views.commun import AccesMixin, participant_visible, plies_de

# Sans nouvelle de l'entreprise depuis ce délai, la mise en relation est à relancer.
DELAI_RELANCE = timedelta(days=7)
LIMITE = 50


class ATraiterView(AccesMixin, generic.TemplateView):
    roles = frozenset({Role.CRE, Role.ANIMATEUR, Role.DIRECTION, Role.ADMIN})
    template_name = "entreprises/a_traiter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        offres = (
            acces.offres_visibles(user)
            .filter(plie_id__in=self._plies_gerees())
            .select_related("entreprise", "plie", "created_by")
            .order_by("created_at", "id")
        )
        mises = (
            acces.mises_en_relation_visibles(user)
            .filter(statut__in=STATUTS_MER_EN_ATTENTE)
            .select_related("offre__entreprise", "parcours__participant")
            .annotate(participant_visible=participant_visible(user))
            .order_by("updated_at", "id")
        )
        limite_relance = timezone.now() - DELAI_RELANCE
        # La file du PLIE comptée jusqu'à LIMITE + 1 (« plus de 50 ») : un compte exact lisait
        # toute la file (650 tâches à 100 000 participants, docs/PERFORMANCE.md).
        a_prendre = workflows_access.compter_a_prendre(user, LIMITE + 1)
        mises = list(mises[:LIMITE])
        for mise in mises:
            mise.a_relancer = mise.updated_at < limite_relance
        context.update(
            a_qualifier=list(offres.filter(statut=StatutOffre.COLLECTEE)[:LIMITE]),
            a_diffuser=list(
                offres.filter(statut=StatutOffre.QUALIFIEE).annotate(
                    nb_candidats=Count("mises_en_relation")
                )[:LIMITE]
            ),
            mises=mises,
            delai_relance=DELAI_RELANCE.days,
            nb_taches=workflows_access.mes_taches(user).count(),
            nb_a_prendre=min(a_prendre, LIMITE),
            a_prendre_en_plus=a_prendre > LIMITE,
        )
        return context

    def _plies_gerees(self):
        if self.request.user.is_superuser:
            return PLIE.objects.values("pk")
        return acces.perimetre(self.request.user).plies(acces.ROLES_OFFRES)


class IndicateursView(AccesMixin, generic.TemplateView):
    roles = acces.ROLES_OFFRES
    template_name = "entreprises/indicateurs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plies = list(plies_de(self.request.user, acces.ROLES_OFFRES))
        context["vues"] = indicateurs_par_plie(plies)
        return context
