from django.contrib import admin

from parcours import acces
from parcours.accompagnement.models import (
    ChangementReferent,
    Delegation,
    Entretien,
    Etape,
    Parcours,
    Suspension,
    TransitionParcours,
)
from workflows.admin.lecture_seule import LectureSeule, LectureSeuleParParcours


class TransitionInline(admin.TabularInline):
    model = TransitionParcours
    extra = 0
    can_delete = False
    readonly_fields = ["transition", "source", "target", "par", "at", "motif"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Parcours)
class ParcoursAdmin(admin.ModelAdmin):
    """Lecture seule : l'état ne change que par les transitions métier."""

    list_display = ["participant", "plie", "statut", "referent", "date_prescription"]
    list_filter = ["plie", "statut"]
    list_select_related = ["participant", "plie", "referent"]
    inlines = [TransitionInline]

    def get_queryset(self, request):
        return acces.parcours_visibles(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Etape)
class EtapeAdmin(LectureSeuleParParcours):
    list_display = ["parcours", "type_libelle", "intitule", "date_debut", "date_fin", "statut"]
    list_filter = ["statut", "categorie"]
    list_select_related = ["parcours__participant"]
    search_fields = ["intitule", "parcours__participant__nom"]


@admin.register(Entretien)
class EntretienAdmin(LectureSeuleParParcours):
    list_display = ["parcours", "date", "canal", "presence", "auteur"]
    list_filter = ["canal", "presence"]
    list_select_related = ["parcours__participant", "auteur"]


@admin.register(Suspension)
class SuspensionAdmin(LectureSeuleParParcours):
    list_display = ["parcours", "motif", "debut", "fin_prevue", "renouvellements", "levee_le"]
    list_filter = ["motif"]
    list_select_related = ["parcours__participant"]


@admin.register(ChangementReferent)
class ChangementReferentAdmin(LectureSeuleParParcours):
    list_display = ["parcours", "ancien", "nouveau", "par", "at", "en_masse"]
    list_filter = ["en_masse"]
    list_select_related = ["parcours__participant", "ancien", "nouveau", "par"]


@admin.register(Delegation)
class DelegationAdmin(LectureSeule):
    # Un intérim n'a pas de parcours : les intérims visibles.
    visibles = acces.delegations_visibles
    list_display = ["plie", "titulaire", "suppleant", "debut", "fin", "levee_le"]
    list_filter = ["plie"]
    list_select_related = ["plie", "titulaire", "suppleant"]
