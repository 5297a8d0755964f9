"""Étapes, entretiens et contrats de **tous** les parcours dont on voit le suivi (ou l'emploi),
pour synchroniser par `updated_since` sans interroger chaque parcours un à un (docs/api.md). La
même politique que les listes par parcours : `acces.parcours_au_suivi_visible` est la liste de
`voit_le_suivi`, `acces.parcours_a_l_emploi_visible` celle de `peut_voir_emploi`."""

from drf_spectacular.utils import extend_schema

from parcours import acces
from parcours.accompagnement.models import Entretien, Etape
from parcours.core.enums import DroitCle
from parcours.emploi.models import Contrat
from workflows.api.base import APRES_ID, UPDATED_SINCE, VueApi
from workflows.api.parcours import ContratLu, EntretienLu, EtapeLue


def _avec_parcours(lu):
    """Le sérialiseur `lu` et l'identifiant du parcours de chaque ligne."""

    class Meta(lu.Meta):
        fields = ["id", "parcours", *[f for f in lu.Meta.fields if f != "id"]]
        read_only_fields = fields

    return type(f"{lu.__name__}DuPerimetre", (lu,), {"Meta": Meta})


EtapeDuPerimetre = _avec_parcours(EtapeLue)
EntretienDuPerimetre = _avec_parcours(EntretienLu)
ContratDuPerimetre = _avec_parcours(ContratLu)


class ListeDuPerimetreView(VueApi):
    droits = {"GET": DroitCle.PARCOURS_LIRE}
    modele = None
    parcours_permis = staticmethod(acces.parcours_au_suivi_visible)

    def get(self, request):
        permis = self.parcours_permis(request.user).values("pk")
        return self.lister(self.modele.objects.filter(parcours_id__in=permis))


class EtapesView(ListeDuPerimetreView):
    serializer_class = EtapeDuPerimetre
    modele = Etape

    # Une fonction par vue : extend_schema annote la fonction qu'il reçoit (partagée, la
    # dernière annotation l'emporterait pour les trois listes).
    @extend_schema(
        summary="Les étapes de tous les parcours dont on voit le suivi",
        operation_id="etapes_liste",
        responses=EtapeDuPerimetre(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return super().get(request)


class EntretiensView(ListeDuPerimetreView):
    serializer_class = EntretienDuPerimetre
    modele = Entretien

    # Une fonction par vue : extend_schema annote la fonction qu'il reçoit (partagée, la
    # dernière annotation l'emporterait pour les trois listes).
    @extend_schema(
        summary="Les entretiens de tous les parcours dont on voit le suivi (sans compte rendu)",
        operation_id="entretiens_liste",
        responses=EntretienDuPerimetre(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return super().get(request)


class ContratsView(ListeDuPerimetreView):
    serializer_class = ContratDuPerimetre
    modele = Contrat
    parcours_permis = staticmethod(acces.parcours_a_l_emploi_visible)

    # Une fonction par vue : extend_schema annote la fonction qu'il reçoit (partagée, la
    # dernière annotation l'emporterait pour les trois listes).
    @extend_schema(
        summary="Les contrats de tous les parcours dont on voit l'emploi",
        operation_id="contrats_liste",
        responses=ContratDuPerimetre(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return super().get(request)
