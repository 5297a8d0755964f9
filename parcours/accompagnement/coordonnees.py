"""Rectifier les coordonnées d'un participant (adresse, commune, téléphone, courriel) que le
contrôle préalable de l'export Ma Démarche FSE trouve manquantes (docs/fse.md).

Par qui suit le parcours (`suivre_parcours` : son référent, l'animation) ; l'identité (nom,
prénom, naissance, sexe) ne change pas ici."""

from django.core.exceptions import ValidationError
from django.db import transaction

from parcours.core.errors import TransitionNonAutorisee
from parcours.participants.models import Participant

CHAMPS_COORDONNEES = ("adresse", "commune_insee", "commune_nom", "telephone", "email")


@transaction.atomic
def rectifier_coordonnees(parcours, par, donnees: dict) -> Participant:
    """Enregistre les coordonnées fournies (les autres restent) ; une valeur invalide lève une
    ValidationError par champ et rien n'est enregistré."""
    if not par.has_perm("accompagnement.suivre_parcours", parcours):
        raise TransitionNonAutorisee(
            "Vous n'avez pas le droit de modifier ces coordonnées : seuls le référent du parcours "
            "et l'équipe d'animation du PLIE le peuvent."
        )
    participant = Participant.objects.select_for_update().get(pk=parcours.participant_id)
    inconnus = set(donnees) - set(CHAMPS_COORDONNEES)
    if inconnus:
        raise ValidationError({c: ["Champ inconnu des coordonnées."] for c in sorted(inconnus)})
    for champ, valeur in donnees.items():
        setattr(participant, champ, (valeur or "").strip())
    participant.full_clean(exclude=[c for c in _champs(participant) if c not in donnees])
    participant.save(update_fields=[*donnees, "updated_at"])
    return participant


def _champs(participant) -> list[str]:
    return [f.name for f in participant._meta.concrete_fields]
