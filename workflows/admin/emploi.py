"""Administration en lecture seule : les contrats et les sorties changent par les services
(contrôles, journal, flux), jamais par l'admin."""

from django.contrib import admin

from parcours.emploi.models import Contrat, DonneesSortieFSE, PropositionSortie
from workflows.admin.lecture_seule import LectureSeuleParParcours


@admin.register(Contrat)
class ContratAdmin(LectureSeuleParParcours):
    list_display = ["parcours", "type", "employeur", "debut", "fin", "heures_hebdo", "heures"]
    list_filter = ["type"]
    list_select_related = ["parcours__participant"]
    search_fields = ["employeur", "parcours__participant__nom"]


@admin.register(PropositionSortie)
class PropositionSortieAdmin(LectureSeuleParParcours):
    list_display = ["parcours", "type_sortie", "date_sortie", "statut", "proposee_par"]
    list_filter = ["statut", "type_sortie"]
    list_select_related = ["parcours__participant", "proposee_par"]


@admin.register(DonneesSortieFSE)
class DonneesSortieFSEAdmin(LectureSeuleParParcours):
    list_display = ["parcours", "situation", "type_contrat", "qualification_obtenue", "saisie_le"]
    list_filter = ["situation"]
    list_select_related = ["parcours__participant"]
