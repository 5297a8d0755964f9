from django.contrib import admin

from parcours.accompagnement.models import Parcours, TransitionParcours


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
        return Parcours.objects.visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
