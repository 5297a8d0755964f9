"""Ce que les écrans des relations entreprises partagent : l'accès par les rôles du PLIE (404
sinon), la navigation, la mise d'une erreur de service sur le formulaire, la visibilité des
personnes (docs/entreprises.md)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.core.errors import (
    ConflitTransition,
    DonneesTransitionInvalides,
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.models import PLIE

ERREURS_METIER = (
    TransitionInterdite,
    TransitionNonAutorisee,
    DonneesTransitionInvalides,
    ConflitTransition,
    PermissionDenied,
)


def ajouter_erreur(form, exc):
    """Une erreur de service sur le formulaire : par champ quand le champ y est, sinon en tête."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for champ, erreurs in exc.message_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc))


def participant_visible(user, champ="parcours_id"):
    """Annotation : la personne est-elle visible de l'utilisateur (ses données personnelles) ?
    Le parcours de chaque ligne sondé par sa clé (`filtre_parcours_visible_par_ligne`, mêmes
    sources) : l'union des sources de `parcours_visibles`, rejouée pour chaque ligne, lisait
    les parcours en emploi de tout le PLIE (3 ms pour 50 mises en relation à 100 000)."""
    visible = Parcours.objects.filter(acces.filtre_parcours_visible_par_ligne(user))
    return Exists(visible.filter(pk=OuterRef(champ)))


class AccesMixin(LoginRequiredMixin):
    """404 pour qui ne tient aucun des `roles` dans aucun PLIE (prescripteur, financeur…)."""

    roles = acces.ROLES_ENTREPRISES

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_superuser
            and not acces.perimetre(user).plies(self.roles)
        ):
            raise Http404("Page introuvable.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p = acces.perimetre(self.request.user)
        su = self.request.user.is_superuser
        context["nav"] = {
            "entreprises": su or bool(p.plies(acces.ROLES_ENTREPRISES)),
            "offres": su or bool(p.plies(acces.ROLES_OFFRES | acces.ROLES_REFERENT)),
            "pilotage": su or bool(p.plies(acces.ROLES_OFFRES)),
        }
        return context


def plies_de(user, roles):
    """Les PLIE où l'utilisateur tient l'un des `roles` (tous pour un superutilisateur)."""
    if user.is_superuser:
        return PLIE.objects.order_by("nom")
    return PLIE.objects.filter(pk__in=acces.perimetre(user).plies(roles)).order_by("nom")
