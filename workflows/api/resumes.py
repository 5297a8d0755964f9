"""Les représentations partagées par plusieurs ressources : la personne en bref, le référent,
la décision d'entrée (lue au journal des transitions du parcours, préchargé)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parcours.accompagnement.models import TransitionParcours
from parcours.participants.models import Participant

# Les transitions qui décident de l'entrée : la dernière est « la décision » de la prescription.
TRANSITIONS_DECISION = ("declarer_irrecevable", "admettre", "ajourner", "refuser", "annuler")


def prefetch_decisions() -> Prefetch:
    return Prefetch(
        "transitions",
        queryset=TransitionParcours.objects.filter(transition__in=TRANSITIONS_DECISION).order_by(
            "-at", "-id"
        ),
        to_attr="decisions",
    )


class PersonneResume(serializers.ModelSerializer):
    numero = serializers.CharField(read_only=True, help_text="Numéro affiché (P000123).")

    class Meta:
        model = Participant
        fields = ["id", "numero", "nom", "prenom", "date_naissance"]
        read_only_fields = fields


class Referent(serializers.Serializer):
    nom = serializers.CharField()
    structure = serializers.CharField(allow_null=True)


class Decision(serializers.Serializer):
    transition = serializers.CharField(help_text="admettre, ajourner, refuser, …")
    libelle = serializers.CharField()
    le = serializers.DateTimeField()
    motif = serializers.CharField()


@extend_schema_field(Referent(allow_null=True))
class ChampReferent(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, parcours):
        if parcours.referent_id is None:
            return None
        structure = parcours.structure_referente
        return {
            "nom": parcours.referent.get_full_name() or parcours.referent.get_username(),
            "structure": structure.nom if structure else None,
        }


@extend_schema_field(Decision(allow_null=True))
class ChampDecision(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, parcours):
        decisions = getattr(parcours, "decisions", None)
        if decisions is None:  # sans préchargement (une seule fiche)
            decisions = list(prefetch_decisions().queryset.filter(parcours=parcours)[:1])
        if not decisions:
            return None
        d = decisions[0]
        return {"transition": d.transition, "libelle": d.libelle, "le": d.at, "motif": d.motif}
