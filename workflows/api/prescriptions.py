"""Prescriptions : un partenaire envoie une personne et sa situation, puis lit le statut et la
décision. La création passe par les formulaires de l'écran de prescription (mêmes contrôles,
mêmes messages) et par `prescrire_et_demarrer` (service du domaine : doublons, éligibilité ;
puis le flux d'entrée) : aucune règle n'est recopiée ici."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from parcours import acces
from parcours.accompagnement.models import Parcours
from parcours.accompagnement.services import DoublonPossible
from parcours.core.enums import DroitCle
from parcours.core.roles import ROLES_PRESCRIPTION
from parcours.core.validators import texte_sur_plusieurs_lignes, texte_sur_une_ligne
from parcours.participants.doublons import separer_par_perimetre
from parcours.participants.enums import Frein, NiveauQualification, Sexe, StatutSocial
from workflows.api.base import (
    APRES_ID,
    IDEMPOTENCE,
    UPDATED_SINCE,
    CorpsStrict,
    EcritureMixin,
    VueApi,
)
from workflows.api.resumes import ChampDecision, ChampReferent, PersonneResume, prefetch_decisions
from workflows.entree.forms import IdentiteForm, SituationForm
from workflows.entree.prescription import prescrire_et_demarrer
from workflows.rgpd import NoticeForm

# — Ce que le partenaire envoie —


class PersonneEnvoyee(CorpsStrict):
    nom = serializers.CharField(max_length=150, validators=[texte_sur_une_ligne])
    prenom = serializers.CharField(max_length=150, validators=[texte_sur_une_ligne])
    nom_naissance = serializers.CharField(
        max_length=150, required=False, allow_blank=True, validators=[texte_sur_une_ligne]
    )
    date_naissance = serializers.DateField()
    sexe = serializers.ChoiceField(choices=Sexe.choices)
    telephone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, validators=[texte_sur_une_ligne]
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    adresse = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[texte_sur_une_ligne]
    )
    commune_insee = serializers.CharField(
        max_length=5,
        help_text="Code INSEE d'une commune du PLIE, ou « hors » (hors du territoire).",
    )


class StatutEnvoye(CorpsStrict):
    code = serializers.ChoiceField(choices=StatutSocial.choices)
    depuis = serializers.DateField(required=False, allow_null=True)


class SituationEnvoyee(CorpsStrict):
    motif = serializers.CharField(validators=[texte_sur_plusieurs_lignes])
    sans_emploi_depuis = serializers.DateField(required=False, allow_null=True)
    niveau_qualification = serializers.ChoiceField(
        choices=NiveauQualification.choices, required=False, allow_null=True
    )
    bac = serializers.BooleanField(required=False, default=False)
    rqth_jusqu_au = serializers.DateField(required=False, allow_null=True)
    suivi_mission_locale = serializers.BooleanField(required=False, default=False)
    suivi_cap_emploi = serializers.BooleanField(required=False, default=False)
    via_clause = serializers.BooleanField(required=False, default=False)
    freins = serializers.ListField(
        child=serializers.ChoiceField(choices=Frein.choices), required=False, max_length=20
    )
    statuts = StatutEnvoye(many=True, required=False, max_length=len(StatutSocial.choices))


class DoublonEnvoye(CorpsStrict):
    rattacher_a = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Identifiant de la personne connue à qui rattacher la prescription.",
    )
    nouvelle_personne = serializers.BooleanField(
        required=False, default=False, help_text="Confirme qu'il s'agit d'une autre personne."
    )


class PrescriptionEnvoyee(CorpsStrict):
    plie = serializers.SlugField(
        required=False, help_text="Code du PLIE (facultatif avec une clé : celui de la clé)."
    )
    personne = PersonneEnvoyee()
    situation = SituationEnvoyee()
    notice_remise = serializers.BooleanField(
        help_text="La notice d'information (RGPD) a été remise à la personne : obligatoire."
    )
    doublon = DoublonEnvoye(required=False)


# — Ce que l'API rend —


class Eligibilite(serializers.Serializer):
    eligible = serializers.BooleanField()
    criteres = serializers.ListField(child=serializers.DictField())


class PrescriptionLue(serializers.ModelSerializer):
    participant = PersonneResume(read_only=True)
    plie = serializers.SlugRelatedField(slug_field="code", read_only=True)
    statut_libelle = serializers.CharField(source="get_statut_display", read_only=True)
    structure_prescriptrice = serializers.StringRelatedField(read_only=True)
    eligibilite = Eligibilite(source="prescription.eligibilite", read_only=True, allow_null=True)
    decision = ChampDecision()
    referent = ChampReferent()

    class Meta:
        model = Parcours
        fields = [
            "id",
            "participant",
            "plie",
            "structure_prescriptrice",
            "date_prescription",
            "statut",
            "statut_libelle",
            "eligibilite",
            "decision",
            "referent",
            "date_entree",
            "updated_at",
        ]
        read_only_fields = fields


class Correspondance(serializers.Serializer):
    id = serializers.IntegerField()
    numero = serializers.CharField()
    nom = serializers.CharField()
    prenom = serializers.CharField()
    date_naissance = serializers.DateField()
    commune_nom = serializers.CharField()


class DoublonRefuse(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    correspondances = Correspondance(many=True)
    hors_perimetre = serializers.IntegerField()


def prescriptions_visibles(user):
    return (
        acces.parcours_visibles(user)
        .select_related(
            "participant",
            "plie",
            "prescription",
            "structure_prescriptrice",
            "referent",
            "structure_referente",
        )
        .prefetch_related(prefetch_decisions())
    )


# Les champs des formulaires de l'écran, vus de l'API (pour nommer le champ en cause).
CHAMPS_IDENTITE = {"commune": "personne.commune_insee"}


def _donnees_des_formulaires(personne: dict, situation: dict) -> tuple[dict, dict]:
    iso = lambda d: d.isoformat() if d else ""  # noqa: E731
    identite = {k: v for k, v in personne.items() if k not in ("commune_insee", "date_naissance")}
    identite["date_naissance"] = iso(personne["date_naissance"])
    identite["commune"] = personne["commune_insee"]
    situ = {
        "motif": situation["motif"],
        "sans_emploi_depuis": iso(situation.get("sans_emploi_depuis")),
        "rqth_jusqu_au": iso(situation.get("rqth_jusqu_au")),
        "niveau_qualification": situation.get("niveau_qualification") or "",
        "freins": situation.get("freins", []),
    }
    for champ in ("bac", "suivi_mission_locale", "suivi_cap_emploi", "via_clause"):
        situ[champ] = situation.get(champ, False)
    for statut in situation.get("statuts", []):
        situ[f"statut_{statut['code']}"] = True
        situ[f"statut_{statut['code']}_depuis"] = iso(statut.get("depuis"))
    return identite, situ


def _chemin_situation(champ: str) -> str:
    return "situation.statuts" if champ.startswith("statut_") else f"situation.{champ}"


def _valider_par_les_formulaires(plie, donnees: dict):
    """Les formulaires de l'écran, remplis avec la requête : mêmes contrôles, mêmes messages."""
    identite, situation = _donnees_des_formulaires(donnees["personne"], donnees["situation"])
    forms = {
        "identite": IdentiteForm(identite, communes=list(plie.communes.order_by("nom"))),
        "situation": SituationForm(situation),
        "notice": NoticeForm({"recue": donnees["notice_remise"]}),
    }
    erreurs = {}
    for nom, form in forms.items():
        if form.is_valid():
            continue
        for champ, messages in form.errors.items():
            if nom == "identite":
                chemin = CHAMPS_IDENTITE.get(champ, f"personne.{champ}")
            elif nom == "situation":
                chemin = _chemin_situation(champ)
            else:
                chemin = "notice_remise"
            if champ == "__all__":
                chemin = "detail"
            erreurs.setdefault(chemin, []).extend(messages)
    if erreurs:
        raise ValidationError(erreurs)
    return forms


class PrescriptionsView(EcritureMixin, VueApi):
    """Lister les prescriptions visibles (les siennes pour un prescripteur) ; en envoyer une."""

    droits = {"GET": DroitCle.PRESCRIPTIONS_LIRE, "POST": DroitCle.PRESCRIPTIONS_ECRIRE}
    serializer_class = PrescriptionLue

    def get_queryset(self):
        return prescriptions_visibles(self.request.user)

    @extend_schema(
        summary="Lister les prescriptions (statut, éligibilité, décision)",
        operation_id="prescriptions_liste",
        responses=PrescriptionLue(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return self.lister(self.get_queryset())

    @extend_schema(
        summary="Envoyer une prescription",
        request=PrescriptionEnvoyee,
        parameters=[IDEMPOTENCE],
        responses={
            201: PrescriptionLue,
            400: OpenApiResponse(description="Champ invalide (nommé dans « champs »)."),
            409: OpenApiResponse(
                DoublonRefuse,
                description="Personne peut-être déjà connue : renvoyez avec doublon."
                "rattacher_a ou doublon.nouvelle_personne ; ou clé d'idempotence réutilisée.",
            ),
        },
    )
    def post(self, request):
        envoi = PrescriptionEnvoyee(data=request.data)
        envoi.is_valid(raise_exception=True)
        donnees = envoi.validated_data
        plie = self.plie_demande(
            donnees.get("plie"), acces.perimetre(request.user).plies(ROLES_PRESCRIPTION)
        )
        forms = _valider_par_les_formulaires(plie, donnees)
        doublon = donnees.get("doublon") or {}
        participant = None
        if doublon.get("rattacher_a"):
            participant = (
                acces.participants_visibles(request.user).filter(pk=doublon["rattacher_a"]).first()
            )
            if participant is None:
                raise ValidationError(
                    {"doublon.rattacher_a": ["Personne introuvable dans votre périmètre."]}
                )

        def faire():
            parcours = prescrire_et_demarrer(
                par=request.user,
                plie=plie,
                identite=forms["identite"].identite(),
                situation=forms["situation"].situation(),
                statuts=forms["situation"].statuts_coches(),
                participant=participant,
                nouvelle_personne_confirmee=doublon.get("nouvelle_personne", False),
                notice_remise=forms["notice"].cleaned_data["recue"],
            )
            return parcours, self._lire(parcours.pk), f"Prescription de {parcours.participant}"

        try:
            return self.ecrire(plie=plie, action="prescription", faire=faire, rejouer=self._rejouer)
        except DoublonPossible as exc:
            visibles, hors = separer_par_perimetre(
                exc.correspondances, acces.participants_visibles(request.user)
            )
            return Response(
                {
                    "detail": str(exc),
                    "code": "doublon_possible",
                    "correspondances": Correspondance(
                        [c.participant for c in visibles], many=True
                    ).data,
                    "hors_perimetre": hors,
                },
                status=status.HTTP_409_CONFLICT,
            )

    def _lire(self, pk):
        return PrescriptionLue(prescriptions_visibles(self.request.user).get(pk=pk)).data

    def _rejouer(self, ecriture):
        parcours = prescriptions_visibles(self.request.user).filter(pk=ecriture.objet_id).first()
        return PrescriptionLue(parcours).data if parcours else {"id": int(ecriture.objet_id)}


class PrescriptionView(VueApi):
    droits = {"GET": DroitCle.PRESCRIPTIONS_LIRE}
    serializer_class = PrescriptionLue
    parametres = frozenset()

    def get_queryset(self):
        return prescriptions_visibles(self.request.user)

    @extend_schema(summary="Lire une prescription : statut, éligibilité, décision, référent")
    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)
