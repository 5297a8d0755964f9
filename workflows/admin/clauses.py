"""Administration en lecture seule : les clauses (marchés, besoins, candidatures, heures)
changent par les écrans et les services (contrôles, journal, flux), jamais par l'admin. Chaque
liste est limitée par la politique d'accès (`parcours/acces/`)."""

from django.contrib import admin

from parcours import acces
from parcours.clauses.models import (
    Besoin,
    DonneurOrdre,
    HeuresRealisees,
    Lot,
    Marche,
    Operation,
    Positionnement,
)
from workflows.admin.lecture_seule import LectureSeule


def _par_marche(user, queryset):
    return queryset.filter(marche_id__in=acces.marches_visibles(user).values("pk"))


@admin.register(DonneurOrdre)
class DonneurOrdreAdmin(LectureSeule):
    visibles = acces.donneurs_ordre_visibles
    list_display = ["nom", "type", "plie", "structure"]
    list_filter = ["plie", "type"]
    list_select_related = ["plie", "structure"]
    search_fields = ["nom"]


@admin.register(Operation)
class OperationAdmin(LectureSeule):
    visibles = acces.operations_visibles
    list_display = ["nom", "donneur_ordre", "date_debut", "date_fin"]
    list_select_related = ["donneur_ordre"]
    search_fields = ["nom"]


@admin.register(Marche)
class MarcheAdmin(LectureSeule):
    visibles = acces.marches_visibles
    list_display = ["numero", "intitule", "plie", "operation", "attributaire", "heures_prevues"]
    list_filter = ["plie", "modalite_clause"]
    list_select_related = ["plie", "operation", "attributaire"]
    search_fields = ["numero", "intitule"]


@admin.register(Lot)
class LotAdmin(LectureSeule):
    visibles = _par_marche
    list_display = ["numero", "intitule", "marche", "heures_prevues"]
    list_select_related = ["marche"]


@admin.register(Besoin)
class BesoinAdmin(LectureSeule):
    visibles = acces.besoins_visibles
    list_display = ["poste", "marche", "lot", "type_contrat", "date_debut", "statut"]
    list_filter = ["statut", "type_contrat"]
    list_select_related = ["marche", "lot"]
    search_fields = ["poste"]


@admin.register(Positionnement)
class PositionnementAdmin(LectureSeule):
    visibles = acces.positionnements_visibles
    list_display = ["besoin", "participant", "candidat_externe", "statut", "created_at"]
    list_filter = ["statut"]
    list_select_related = ["besoin__marche", "participant", "candidat_externe"]


@admin.register(HeuresRealisees)
class HeuresRealiseesAdmin(LectureSeule):
    visibles = _par_marche
    list_display = ["marche", "mois", "participant", "candidat_externe", "heures", "source"]
    list_filter = ["source"]
    list_select_related = ["marche", "participant", "candidat_externe"]
