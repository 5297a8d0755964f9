from django.contrib import admin

from parcours import acces
from parcours.participants.models import Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["nom", "prenom", "date_naissance", "commune_nom"]
    search_fields = ["recherche"]

    def get_queryset(self, request):
        return acces.participants_visibles(request.user)
