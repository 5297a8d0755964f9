from django.contrib import admin

from parcours.referentiel.models import Referentiel


@admin.register(Referentiel)
class ReferentielAdmin(admin.ModelAdmin):
    """Les versions s'importent depuis leur fichier YAML (manage.py importer_referentiel) :
    l'administration les montre sans permettre d'en modifier le contenu à la main."""

    list_display = ["plie", "date_effet", "libelle", "source", "importe_le"]
    list_filter = ["plie"]
    readonly_fields = [
        "plie",
        "date_effet",
        "libelle",
        "contenu",
        "source",
        "importe_par",
        "importe_le",
    ]

    def has_add_permission(self, request):
        return False
