"""Envoyer un courriel par le mécanisme de Django et en garder la trace dans le dossier."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from parcours.core.validators import sur_une_ligne
from parcours.courriels.models import Courriel

logger = logging.getLogger(__name__)


def _preparer(destinataires, sujet: str, corps: str, parcours=None, par=None) -> Courriel:
    """L'objet est remis sur une ligne : il reprend des noms déjà en base, et un saut de ligne
    dans un en-tête ferait refuser le courriel (BadHeaderError) à chaque envoi."""
    sujet = sur_une_ligne(sujet)[: Courriel._meta.get_field("sujet").max_length]
    adresses = sorted({getattr(d, "email", d) for d in destinataires if getattr(d, "email", d)})
    return Courriel(
        parcours=parcours, destinataires=adresses, sujet=sujet, corps=corps, envoye_par=par
    )


def _expedier(courriel: Courriel, connexion=None) -> None:
    if not courriel.destinataires:
        courriel.erreur = "Aucun destinataire n'a d'adresse électronique."
        return
    message = EmailMessage(
        courriel.sujet,
        courriel.corps,
        settings.DEFAULT_FROM_EMAIL,
        courriel.destinataires,
        connection=connexion,
    )
    try:
        message.send()
    except OSError as exc:  # serveur SMTP injoignable : le dossier le montre, rien n'est perdu
        logger.warning("Échec d'envoi du courriel « %s » : %s", courriel.sujet, exc)
        courriel.erreur = str(exc)


def envoyer_courriel(*, destinataires, sujet: str, corps: str, parcours=None, par=None) -> Courriel:
    """`destinataires` : adresses ou utilisateurs ; ceux sans adresse sont ignorés."""
    courriel = _preparer(destinataires, sujet, corps, parcours, par)
    _expedier(courriel)
    courriel.save()
    return courriel


def envoyer_courriels(messages) -> list[Courriel]:
    """Un lot de courriels (dicts des arguments d'`envoyer_courriel`) : une connexion au serveur
    de courriel pour tout le lot, une requête pour les garder tous dans leurs dossiers."""
    courriels = [_preparer(**m) for m in messages]
    connexion = get_connection()
    try:
        connexion.open()
    except OSError as exc:
        logger.warning("Serveur de courriel injoignable : %s", exc)
    try:
        for courriel in courriels:
            _expedier(courriel, connexion)
    finally:
        connexion.close()
    return Courriel.objects.bulk_create(courriels)
