"""Clauses sociales : envoyer les heures d'insertion d'un mois (le service de `importer_heures`,
tout ou rien par requête) et lire les besoins (postes à pourvoir)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from parcours import acces
from parcours.clauses.heures import ImportRefuse, SaisieNonAutorisee, importer_lignes
from parcours.clauses.heures.fichier import CARACTERES_MAX_PAR_CELLULE, LIGNES_MAX, LigneLue
from parcours.clauses.models import Besoin
from parcours.core.enums import DroitCle
from parcours.core.roles import ROLES_FACILITATION
from parcours.core.validators import texte_sur_une_ligne
from workflows.api.base import (
    APRES_ID,
    IDEMPOTENCE,
    UPDATED_SINCE,
    CorpsStrict,
    EcritureMixin,
    VueApi,
)


def _colonne(aide: str, **kwargs):
    return serializers.CharField(
        max_length=CARACTERES_MAX_PAR_CELLULE,
        validators=[texte_sur_une_ligne],
        help_text=aide,
        **kwargs,
    )


class LigneEnvoyee(CorpsStrict):
    """Une ligne du fichier mensuel : les mêmes colonnes, les mêmes contrôles (docs/heures.md)."""

    marche = _colonne("Numéro du marché.")
    siret = _colonne("SIRET de l'employeur (attributaire ou sous-traitant).")
    personne = _colonne("Numéro de la personne : P000123 (participant) ou EXT-000123.")
    mois = _colonne("Mois travaillé, AAAA-MM.")
    heures = _colonne("Heures réalisées dans le mois (nombre, deux décimales au plus).")


class HeuresEnvoyees(CorpsStrict):
    plie = serializers.SlugField(
        required=False, help_text="Code du PLIE (facultatif avec une clé)."
    )
    lignes = LigneEnvoyee(many=True, allow_empty=False, max_length=LIGNES_MAX)
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Contrôler sans rien enregistrer."
    )


class BilanHeures(serializers.Serializer):
    enregistre = serializers.BooleanField()
    lignes = serializers.IntegerField()
    total_heures = serializers.DecimalField(max_digits=12, decimal_places=2)
    creees = serializers.IntegerField()
    remplacees = serializers.IntegerField()


def _bilan(resultat) -> dict:
    return {
        "enregistre": resultat.enregistre,
        "lignes": len(resultat.lignes),
        "total_heures": f"{resultat.total_heures:.2f}",
        "creees": resultat.creees,
        "remplacees": resultat.remplacees,
    }


def _erreurs_par_ligne(erreurs) -> dict[str, list[str]]:
    """`lignes.<index>` pour chaque ligne fautive (index 0 : la première de la liste) ; le
    message nomme la colonne (« mois « 2026-13 » : … »)."""
    champs: dict[str, list[str]] = {}
    for erreur in erreurs:
        chemin = f"lignes.{erreur.numero - 1}" if erreur.numero else "detail"
        champs.setdefault(chemin, []).append(erreur.message)
    return champs


class HeuresView(EcritureMixin, VueApi):
    droits = {"POST": DroitCle.HEURES_ECRIRE}
    parametres = frozenset()
    serializer_class = HeuresEnvoyees

    @extend_schema(
        summary="Envoyer les heures d'insertion réalisées (tout ou rien)",
        request=HeuresEnvoyees,
        parameters=[IDEMPOTENCE],
        responses={
            200: BilanHeures,
            201: BilanHeures,
            400: OpenApiResponse(description="Lignes refusées : « champs » les nomme."),
        },
    )
    def post(self, request):
        envoi = HeuresEnvoyees(data=request.data)
        envoi.is_valid(raise_exception=True)
        donnees = envoi.validated_data
        plie = self.plie_demande(
            donnees.get("plie"), acces.perimetre(request.user).plies(ROLES_FACILITATION)
        )
        lues = [LigneLue(i, dict(ligne)) for i, ligne in enumerate(donnees["lignes"], start=1)]
        nom = f"API {self.cle or request.user.get_username()}"

        def importer(dry_run):
            try:
                return importer_lignes(plie, lues, nom, par=request.user, dry_run=dry_run)
            except SaisieNonAutorisee as exc:
                raise PermissionDenied(str(exc)) from None
            except ImportRefuse as exc:
                raise ValidationError(_erreurs_par_ligne(exc.erreurs)) from None

        if donnees["dry_run"]:
            return self.ecrire_rien(_bilan(importer(True)))

        def faire():
            resultat = importer(False)
            detail = f"{len(resultat.lignes)} ligne(s), {resultat.total_heures} h"
            return None, _bilan(resultat), detail

        return self.ecrire(
            plie=plie,
            action="heures",
            faire=faire,
            rejouer=lambda e: {"detail": f"Déjà enregistré : {e.detail}."},
        )

    def ecrire_rien(self, donnees):
        """Un contrôle (`dry_run`) n'écrit rien : ni heures, ni journal."""
        return Response(donnees)


# — Besoins —


class BesoinLu(serializers.ModelSerializer):
    marche = serializers.CharField(source="marche.numero", read_only=True)
    marche_intitule = serializers.CharField(source="marche.intitule", read_only=True)
    plie = serializers.CharField(source="marche.plie.code", read_only=True)

    class Meta:
        model = Besoin
        fields = [
            "id",
            "plie",
            "marche",
            "marche_intitule",
            "poste",
            "description",
            "nb_postes",
            "type_contrat",
            "date_debut",
            "date_fin",
            "statut",
            "diffuse_le",
            "updated_at",
        ]
        read_only_fields = fields


class BesoinsView(VueApi):
    droits = {"GET": DroitCle.BESOINS_LIRE}
    serializer_class = BesoinLu

    def get_queryset(self):
        return acces.besoins_visibles(self.request.user, Besoin.objects.all()).select_related(
            "marche__plie"
        )

    @extend_schema(
        summary="Lister les besoins (postes à pourvoir)",
        operation_id="besoins_liste",
        responses=BesoinLu(many=True),
        parameters=[UPDATED_SINCE, APRES_ID],
    )
    def get(self, request):
        return self.lister(self.get_queryset())
