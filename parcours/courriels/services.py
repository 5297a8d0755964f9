"""Envoyer un courriel par le mécanisme de Django et en garder la trace dans le dossier."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage

from parcours.core.validators import sur_une_ligne
from parcours.courriels.models import Courriel

logger = logging.getLogger(__name__)


def envoyer_courriel(*, destinataires, sujet: str, corps: str, parcours=None, par=None) -> Courriel:
    """`destinataires` : adresses ou utilisateurs ; ceux sans adresse sont ignorés.

    L'objet est remis sur une ligne : il reprend des noms déjà en base, et un saut de ligne
    dans un en-tête ferait refuser le courriel (BadHeaderError) à chaque envoi."""
    sujet = sur_une_ligne(sujet)[: Courriel._meta.get_field("sujet").max_length]
    adresses = sorted({getattr(d, "email", d) for d in destinataires if getattr(d, "email", d)})
    courriel = Courriel(
        parcours=parcours, destinataires=adresses, sujet=sujet, corps=corps, envoye_par=par
    )
    if adresses:
        try:
            EmailMessage(sujet, corps, settings.DEFAULT_FROM_EMAIL, adresses).send()
        except OSError as exc:  # serveur SMTP injoignable : le dossier le montre, rien n'est perdu
            logger.warning("Échec d'envoi du courriel « %s » : %s", sujet, exc)
            courriel.erreur = str(exc)
    else:
        courriel.erreur = "Aucun destinataire n'a d'adresse électronique."
    courriel.save()
    return courriel
