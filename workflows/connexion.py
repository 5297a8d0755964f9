"""La page montrée quand django-axes refuse une connexion (trop d'échecs, docs/securite.md).

Appelée par `axes.middleware.AxesMiddleware` (réglage AXES_LOCKOUT_CALLABLE) à la place de la
réponse de la page de connexion : statut 429, message en français, heure de fin du verrouillage.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil

STATUT_VERROUILLE = 429


def fin_du_verrouillage(request, credentials=None):
    """Le verrouillage dure la durée de refroidissement depuis le dernier échec compté."""
    duree = get_cool_off(request)
    dernier = None
    for tentatives in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        moment = tentatives.aggregate(dernier=Max("attempt_time"))["dernier"]
        if moment is not None and (dernier is None or moment > dernier):
            dernier = moment
    return (dernier or timezone.now()) + duree


def reponse_verrouillage(request, original_response=None, credentials=None):
    duree = get_cool_off(request)
    maintenant = timezone.now()
    contexte = {
        "identifiant": get_client_username(request, credentials) or "",
        "duree": timeuntil(maintenant + duree, maintenant),
        "fin": fin_du_verrouillage(request, credentials),
    }
    return render(request, "registration/verrouillage.html", contexte, status=STATUT_VERROUILLE)


def identifiant_saisi(request, credentials=None):
    """L'identifiant compté par django-axes (réglage AXES_USERNAME_CALLABLE), tronqué à la taille
    d'un identifiant : un identifiant de plus de 255 caractères ferait échouer son enregistrement
    (erreur 500) au lieu d'un simple échec de connexion."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    identifiant = source.get("username")
    return None if identifiant is None else str(identifiant)[:150]
