"""Administration en lecture seule : entreprises, offres, mises en relation et événements
changent par les écrans et les services (contrôles, journal), jamais par l'admin. Chaque liste
est limitée par la politique d'accès (`parcours/acces/`)."""

from django.contrib import admin

from parcours import acces
from parcours.entreprises.models import Entreprise, Evenement, MiseEnRelation, OffreEmploi
from workflows.admin.lecture_seule import LectureSeule


@admin.register(Entreprise)
class EntrepriseAdmin(LectureSeule):
    visibles = acces.entreprises_visibles
    list_display = ["raison_sociale", "siret", "plie", "secteur", "tranche_effectif", "partenaire"]
    list_filter = ["plie", "partenaire", "tranche_effectif"]
    list_select_related = ["plie"]
    search_fields = ["raison_sociale", "siret"]


@admin.register(OffreEmploi)
class OffreEmploiAdmin(LectureSeule):
    visibles = acces.offres_visibles
    list_display = ["intitule", "entreprise", "plie", "type_contrat", "nb_postes", "statut"]
    list_filter = ["plie", "statut", "type_contrat"]
    list_select_related = ["entreprise", "plie"]
    search_fields = ["intitule", "entreprise__raison_sociale"]


@admin.register(MiseEnRelation)
class MiseEnRelationAdmin(LectureSeule):
    visibles = acces.mises_en_relation_visibles
    list_display = ["offre", "parcours", "statut", "date_entretien", "proposee_par"]
    list_filter = ["statut"]
    list_select_related = ["offre__entreprise", "parcours__participant", "proposee_par"]


@admin.register(Evenement)
class EvenementAdmin(LectureSeule):
    visibles = acces.evenements_visibles
    list_display = ["titre", "type", "plie", "date", "lieu"]
    list_filter = ["plie", "type"]
    list_select_related = ["plie"]
