"""Traces des connexions, échecs, verrouillages et déconnexions (docs/securite.md).

Branchées sur les signaux de Django (`user_logged_in`, `user_login_failed`, `user_logged_out`)
et de django-axes (`user_locked_out`). Une connexion ne concerne aucun PLIE en particulier (un
compte peut adhérer à plusieurs) : `plie` reste vide ; l'écran du journal rattache ces traces au
PLIE par les adhésions du compte. Pour un échec, l'identifiant saisi est gardé (tronqué) et relié
au compte s'il existe, pour que l'administrateur du PLIE voie les attaques sur ses comptes.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from parcours.tracabilite.enums import TypeTrace
from parcours.tracabilite.services import tracer

# Passé à `tracer` pour qu'un échec ne soit jamais attribué au compte déjà connecté sur ce poste.
_PERSONNE = AnonymousUser()


def _compte(identifiant):
    """Le compte désigné par l'identifiant saisi, s'il existe (une requête sur un index unique)."""
    if not identifiant:
        return None
    User = get_user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: identifiant[:150]}).first()


def _refusee_pendant_le_verrouillage(request) -> bool:
    """django-axes a refusé la tentative sans même vérifier le mot de passe : son backend marque
    la requête verrouillée et il ne compte pas l'échec (`axes_failures_since_start` reste vide).
    Un échec compté, même celui qui déclenche le verrouillage, a ce compteur rempli. Vrai quel
    que soit l'ordre des receveurs du signal."""
    return (
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    )


def _motif(compte) -> str:
    if compte is None:
        return "identifiant inconnu"
    return "" if compte.is_active else "compte désactivé"


@receiver(user_logged_in, dispatch_uid="tracabilite_connexion")
def tracer_connexion(sender, request, user, **kwargs):
    tracer(TypeTrace.CONNEXION, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="tracabilite_deconnexion")
def tracer_deconnexion(sender, request, user, **kwargs):
    if user is not None:
        tracer(TypeTrace.DECONNEXION, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="tracabilite_echec_connexion")
def tracer_echec(sender, credentials, request=None, **kwargs):
    if _refusee_pendant_le_verrouillage(request):
        return  # la trace VERROUILLAGE suffit
    identifiant = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    compte = _compte(identifiant)
    tracer(
        TypeTrace.ECHEC_CONNEXION,
        request=request,
        user=compte or _PERSONNE,
        identifiant=identifiant,
        detail=_motif(compte),
    )


@receiver(user_locked_out, dispatch_uid="tracabilite_verrouillage")
def tracer_verrouillage(sender, request, username, ip_address, **kwargs):
    if not _refusee_pendant_le_verrouillage(request):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        detail = (
            f"{settings.AXES_FAILURE_LIMIT} échecs : connexion suspendue {minutes} minutes "
            "pour cet identifiant depuis cette adresse"
        )
    else:
        detail = "tentative refusée pendant le verrouillage"
    identifiant = str(username or "")
    tracer(
        TypeTrace.VERROUILLAGE,
        request=request,
        user=_compte(identifiant) or _PERSONNE,
        identifiant=identifiant,
        detail=detail,
    )
