"""Administration en lecture seule : les contrats et les sorties changent par les services
(contrôles, journal, flux), jamais par l'admin."""

from django.contrib import admin

from parcours import acces
from parcours.emploi.models import Contrat, DonneesSortieFSE, PropositionSortie


class LectureSeule(admin.ModelAdmin):
    def get_queryset(self, request):
        visibles = acces.parcours_visibles(request.user).values("pk")
        return super().get_queryset(request).filter(parcours_id__in=visibles)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contrat)
class ContratAdmin(LectureSeule):
    list_display = ["parcours", "type", "employeur", "debut", "fin", "heures_hebdo", "heures"]
    list_filter = ["type"]
    list_select_related = ["parcours__participant"]
    search_fields = ["employeur", "parcours__participant__nom"]


@admin.register(PropositionSortie)
class PropositionSortieAdmin(LectureSeule):
    list_display = ["parcours", "type_sortie", "date_sortie", "statut", "proposee_par"]
    list_filter = ["statut", "type_sortie"]
    list_select_related = ["parcours__participant", "proposee_par"]


@admin.register(DonneesSortieFSE)
class DonneesSortieFSEAdmin(LectureSeule):
    list_display = ["parcours", "situation", "type_contrat", "qualification_obtenue", "saisie_le"]
    list_filter = ["situation"]
    list_select_related = ["parcours__participant"]
