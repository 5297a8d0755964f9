"""Les contraintes de base que partagent les modèles des clauses."""

from django.db import models
from django.db.models import Q


def periode_valide(prefixe: str):
    return models.CheckConstraint(
        condition=Q(date_fin__isnull=True)
        | Q(date_debut__isnull=True)
        | Q(date_fin__gte=models.F("date_debut")),
        name=f"{prefixe}_fin_apres_debut",
        violation_error_message="La date de fin doit être postérieure ou égale à la date de début.",
    )


def participant_xor_externe(prefixe: str):
    return models.CheckConstraint(
        condition=(Q(participant__isnull=False) & Q(candidat_externe__isnull=True))
        | (Q(participant__isnull=True) & Q(candidat_externe__isnull=False)),
        name=f"{prefixe}_participant_xor_externe",
        violation_error_message=(
            "Indiquez soit un participant du PLIE, soit un candidat externe (un seul des deux)."
        ),
    )
