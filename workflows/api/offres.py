"""Les offres d'emploi diffusées, par la politique d'accès (`offres_visibles`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from parcours import acces
from parcours.core.enums import DroitCle
from parcours.entreprises.enums import StatutOffre
from parcours.entreprises.models import OffreEmploi
from workflows.api.base import APRES_ID, UPDATED_SINCE, VueApi


class OffreLue(serializers.ModelSerializer):
    plie = serializers.CharField(source="plie.code", read_only=True)
    entreprise = serializers.CharField(source="entreprise.raison_sociale", read_only=True)

    class Meta:
        model = OffreEmploi
        fields = [
            "id",
            "plie",
            "entreprise",
            "intitule",
            "description",
            "type_contrat",
            "lieu",
            "heures_hebdo",
            "nb_postes",
            "date_limite",
            "statut",
            "updated_at",
        ]
        read_only_fields = fields


class OffresView(VueApi):
    droits = {"GET": DroitCle.OFFRES_LIRE}
    serializer_class = OffreLue

    def get_queryset(self):
        return acces.offres_visibles(
            self.request.user, OffreEmploi.objects.filter(statut=StatutOffre.DIFFUSEE)
        ).select_related("plie", "entreprise")

    @extend_schema(
        summary="Lister les offres d'emploi diffusées",
        operation_id="offres_liste",
        responses=OffreLue(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return self.lister(self.get_queryset())
