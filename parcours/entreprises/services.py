"""Services des relations entreprises : nommés d'après ce que fait l'utilisateur.

Chaque service vérifie les droits par la politique d'accès (`parcours/access.py`), valide les
données (messages en français, `ValidationError` par champ) et n'enregistre rien en cas d'erreur.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from parcours import access
from parcours.entreprises.errors import ActionEntrepriseNonAutorisee
from parcours.entreprises.models import Entreprise
from parcours.entreprises.siret import normaliser_siret


def _exiger_gestion(par, plie_id):
    if not access.peut_gerer_entreprises(par, plie_id):
        raise ActionEntrepriseNonAutorisee(
            "Vous n'avez pas le droit de gérer les entreprises de ce PLIE."
        )


def creer_entreprise(plie, *, par, **donnees) -> Entreprise:
    """Ajoute une entreprise au réseau du PLIE. `donnees` : raison_sociale, siret, secteur,
    tranche_effectif, partenaire, adresse, commune. Lève `ValidationError` (SIRET invalide avec
    sa raison, SIRET déjà présent dans ce PLIE, champ obligatoire manquant)."""
    _exiger_gestion(par, plie.pk)
    entreprise = Entreprise(plie=plie, created_by=par, **donnees)
    entreprise.siret = normaliser_siret(entreprise.siret)
    entreprise.full_clean()
    try:
        with transaction.atomic():
            entreprise.save()
    except IntegrityError:
        # Une saisie concurrente du même SIRET, entre la validation et l'enregistrement.
        raise ValidationError(
            {"siret": ["Une entreprise de ce PLIE porte déjà ce SIRET."]}
        ) from None
    return entreprise


def modifier_entreprise(entreprise, *, par, **donnees) -> Entreprise:
    """Met à jour les champs donnés ; mêmes validations que la création."""
    _exiger_gestion(par, entreprise.plie_id)
    for champ, valeur in donnees.items():
        setattr(entreprise, champ, valeur)
    entreprise.siret = normaliser_siret(entreprise.siret)
    entreprise.full_clean()
    try:
        with transaction.atomic():
            entreprise.save()
    except IntegrityError:
        raise ValidationError(
            {"siret": ["Une entreprise de ce PLIE porte déjà ce SIRET."]}
        ) from None
    return entreprise
