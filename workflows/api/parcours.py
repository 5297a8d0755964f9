"""Participants et parcours (lecture, par la politique d'accès), et, pour un parcours dont on
voit le suivi : étapes, entretiens, contrats (lecture) et enregistrement d'un contrat par le
service du domaine (`enregistrer_contrat` : mêmes contrôles et même entrée en emploi qu'à
l'écran)."""

from django.db.models import Min, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from parcours import acces
from parcours.accompagnement.enums import StatutEtape
from parcours.accompagnement.models import Entretien, Etape, Parcours
from parcours.core.enums import DroitCle, Role
from parcours.core.roles import ROLES_PILOTAGE
from parcours.core.validators import texte_sur_une_ligne
from parcours.emploi import services as emploi
from parcours.emploi.enums import TypeContrat
from parcours.emploi.models import Contrat
from parcours.entreprises.models import Entreprise
from parcours.participants.models import Participant
from workflows.api.base import (
    APRES_ID,
    IDEMPOTENCE,
    UPDATED_SINCE,
    CorpsStrict,
    EcritureMixin,
    VueApi,
)
from workflows.api.resumes import ChampReferent, PersonneResume

# — Participants —


class ParticipantLu(serializers.ModelSerializer):
    numero = serializers.CharField(read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "numero",
            "nom",
            "prenom",
            "nom_naissance",
            "date_naissance",
            "sexe",
            "commune_insee",
            "commune_nom",
            "updated_at",
        ]
        read_only_fields = fields


class ParticipantsView(VueApi):
    droits = {"GET": DroitCle.PARCOURS_LIRE}
    serializer_class = ParticipantLu

    def get_queryset(self):
        return acces.participants_visibles(self.request.user, Participant.objects.all())

    @extend_schema(
        summary="Lister les personnes visibles",
        operation_id="participants_liste",
        responses=ParticipantLu(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return self.lister(self.get_queryset())


class ParticipantView(VueApi):
    droits = {"GET": DroitCle.PARCOURS_LIRE}
    serializer_class = ParticipantLu
    parametres = frozenset()

    def get_queryset(self):
        return acces.participants_visibles(self.request.user, Participant.objects.all())

    @extend_schema(summary="Lire une personne")
    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)


# — Parcours —


class ProchainesDates(serializers.Serializer):
    entretien = serializers.DateTimeField(allow_null=True, help_text="Prochain entretien prévu.")
    fin_etape = serializers.DateField(allow_null=True, help_text="Fin de l'étape en cours.")
    fin_periode_essai = serializers.DateField(allow_null=True)


def suivi_visible(user, parcours) -> bool:
    """Les dates du suivi (entretiens, étapes, période d'essai) dans une liste : à qui pilote
    le PLIE, au CRE du PLIE et au référent du parcours — pas au prescripteur, qui ne voit que
    l'entrée et son issue (docs/api.md). Sans requête par ligne."""
    p = acces.perimetre(user)
    if p.a_role(parcours.plie_id, ROLES_PILOTAGE | {Role.CRE}):
        return True
    return parcours.referent_id == user.pk


@extend_schema_field(ProchainesDates(allow_null=True))
class ChampProchainesDates(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, parcours):
        if not suivi_visible(self.context["request"].user, parcours):
            return None
        return {
            "entretien": parcours.prochain_entretien,
            "fin_etape": parcours.prochaine_fin_etape,
            "fin_periode_essai": parcours.prochaine_fin_essai,
        }


class ParcoursLu(serializers.ModelSerializer):
    participant = PersonneResume(read_only=True)
    plie = serializers.SlugRelatedField(slug_field="code", read_only=True)
    statut_libelle = serializers.CharField(source="get_statut_display", read_only=True)
    referent = ChampReferent()
    prochaines_dates = ChampProchainesDates()

    class Meta:
        model = Parcours
        fields = [
            "id",
            "participant",
            "plie",
            "statut",
            "statut_libelle",
            "referent",
            "date_prescription",
            "date_entree",
            "date_sortie",
            "type_sortie",
            "prochaines_dates",
            "updated_at",
        ]
        read_only_fields = fields


def parcours_lisibles(user):
    """Les parcours visibles avec leurs prochaines dates, calculées en sous-requêtes (nombre de
    requêtes constant quelle que soit la page)."""
    maintenant, aujourdhui = timezone.now(), timezone.localdate()
    prochain_entretien = (
        Entretien.objects.filter(parcours=OuterRef("pk"), date__gte=maintenant)
        .order_by()
        .values("parcours")
        .annotate(m=Min("date"))
        .values("m")
    )
    fin_etape = (
        Etape.objects.filter(
            parcours=OuterRef("pk"), statut=StatutEtape.EN_COURS, date_fin__gte=aujourdhui
        )
        .order_by()
        .values("parcours")
        .annotate(m=Min("date_fin"))
        .values("m")
    )
    fin_essai = (
        Contrat.objects.filter(parcours=OuterRef("pk"), fin_periode_essai__gte=aujourdhui)
        .order_by()
        .values("parcours")
        .annotate(m=Min("fin_periode_essai"))
        .values("m")
    )
    return (
        acces.parcours_visibles(user)
        .select_related("participant", "plie", "referent", "structure_referente")
        .annotate(
            prochain_entretien=Subquery(prochain_entretien),
            prochaine_fin_etape=Subquery(fin_etape),
            prochaine_fin_essai=Subquery(fin_essai),
        )
    )


class ParcoursListeView(VueApi):
    droits = {"GET": DroitCle.PARCOURS_LIRE}
    serializer_class = ParcoursLu

    def get_queryset(self):
        return parcours_lisibles(self.request.user)

    @extend_schema(
        summary="Lister les parcours : état, référent, prochaines dates",
        operation_id="parcours_liste",
        responses=ParcoursLu(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return self.lister(self.get_queryset())


class ParcoursView(VueApi):
    droits = {"GET": DroitCle.PARCOURS_LIRE}
    serializer_class = ParcoursLu
    parametres = frozenset()

    def get_queryset(self):
        return parcours_lisibles(self.request.user)

    @extend_schema(summary="Lire un parcours")
    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)


# — Le suivi d'un parcours : étapes, entretiens, contrats —


class SuiviMixin:
    """Le parcours de l'adresse : visible, et dont l'utilisateur voit le suivi (`predicat`) ;
    404 sinon (le prescripteur ne voit que l'entrée et son issue)."""

    predicat = staticmethod(acces.voit_le_suivi)

    def parcours(self):
        if not hasattr(self, "_parcours"):
            parcours = get_object_or_404(
                acces.parcours_visibles(self.request.user).select_related("plie"),
                pk=self.kwargs["pk"],
            )
            if not self.predicat(self.request.user, parcours):
                raise Http404
            self._parcours = parcours
        return self._parcours


class EtapeLue(serializers.ModelSerializer):
    class Meta:
        model = Etape
        fields = [
            "id",
            "type_code",
            "type_libelle",
            "categorie",
            "intitule",
            "prestataire",
            "date_debut",
            "date_fin",
            "statut",
            "updated_at",
        ]
        read_only_fields = fields


class EntretienLu(serializers.ModelSerializer):
    class Meta:
        model = Entretien
        fields = ["id", "date", "canal", "presence", "updated_at"]
        read_only_fields = fields


class ContratLu(serializers.ModelSerializer):
    class Meta:
        model = Contrat
        fields = [
            "id",
            "type",
            "employeur",
            "entreprise",
            "client",
            "debut",
            "fin",
            "heures_hebdo",
            "heures",
            "periode_essai_jours",
            "fin_periode_essai",
            "temps_partiel_choisi",
            "updated_at",
        ]
        read_only_fields = fields


class ContratEnvoye(CorpsStrict):
    type = serializers.ChoiceField(choices=TypeContrat.choices)
    employeur = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=[texte_sur_une_ligne]
    )
    entreprise = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Identifiant d'une entreprise du réseau du PLIE (facultatif).",
    )
    client = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=[texte_sur_une_ligne]
    )
    debut = serializers.DateField()
    fin = serializers.DateField(required=False, allow_null=True)
    heures_hebdo = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    heures = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True
    )
    periode_essai_jours = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=365
    )
    temps_partiel_choisi = serializers.BooleanField(required=False, default=False)


class ListeDuSuiviView(SuiviMixin, VueApi):
    droits = {"GET": DroitCle.PARCOURS_LIRE}


class EtapesView(ListeDuSuiviView):
    serializer_class = EtapeLue

    @extend_schema(
        summary="Les étapes d'un parcours",
        operation_id="parcours_etapes_liste",
        responses=EtapeLue(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request, pk):
        return self.lister(Etape.objects.filter(parcours=self.parcours()))


class EntretiensView(ListeDuSuiviView):
    serializer_class = EntretienLu

    @extend_schema(
        summary="Les entretiens d'un parcours (date, canal, présence ; sans compte rendu)",
        operation_id="parcours_entretiens_liste",
        responses=EntretienLu(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request, pk):
        return self.lister(Entretien.objects.filter(parcours=self.parcours()))


class ContratsView(EcritureMixin, ListeDuSuiviView):
    droits = {"GET": DroitCle.PARCOURS_LIRE, "POST": DroitCle.CONTRATS_ECRIRE}
    predicat = staticmethod(acces.peut_voir_emploi)
    serializer_class = ContratLu

    @extend_schema(
        summary="Les contrats d'un parcours",
        operation_id="parcours_contrats_liste",
        responses=ContratLu(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request, pk):
        return self.lister(Contrat.objects.filter(parcours=self.parcours()))

    @extend_schema(
        summary="Enregistrer un contrat (le premier fait entrer le parcours en emploi)",
        request=ContratEnvoye,
        parameters=[IDEMPOTENCE],
        responses={201: ContratLu},
    )
    def post(self, request, pk):
        envoi = ContratEnvoye(data=request.data)
        envoi.is_valid(raise_exception=True)
        donnees = dict(envoi.validated_data)
        parcours = self.parcours()
        if donnees.get("entreprise") is not None:
            donnees["entreprise"] = Entreprise.objects.filter(
                pk=donnees["entreprise"], plie_id=parcours.plie_id
            ).first()
            if donnees["entreprise"] is None:
                raise ValidationError({"entreprise": ["Entreprise inconnue dans ce PLIE."]})

        def faire():
            try:
                contrat = emploi.enregistrer_contrat(parcours, par=request.user, **donnees)
            except emploi.ContratNonAutorise as exc:
                raise PermissionDenied(str(exc)) from None
            except emploi.ContratInvalide as exc:
                if hasattr(exc, "error_dict"):
                    raise ValidationError(exc.message_dict) from None
                raise ValidationError({"detail": exc.messages}) from None
            return contrat, ContratLu(contrat).data, f"Contrat {contrat}"

        return self.ecrire(
            plie=parcours.plie,
            action="contrat",
            faire=faire,
            rejouer=lambda e: (
                ContratLu(Contrat.objects.filter(pk=e.objet_id, parcours=parcours).first()).data
            ),
        )
