"""Les écrans de l'admin en lecture seule : les données changent par les services du domaine
(contrôles, journal, concurrence), jamais par l'admin ; chaque liste est limitée par la politique
d'accès (parcours/acces/)."""

from django.contrib import admin

from parcours import acces


class LectureSeule(admin.ModelAdmin):
    # La fonction de `parcours/acces/` qui filtre le queryset : `visibles(user, queryset)`.
    visibles = None

    def get_queryset(self, request):
        return type(self).visibles(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def par_parcours_visible(user, queryset):
    """Les objets rattachés à un parcours (`parcours_id`) que l'utilisateur voit."""
    return queryset.filter(parcours_id__in=acces.parcours_visibles(user).values("pk"))


class LectureSeuleParParcours(LectureSeule):
    visibles = par_parcours_visible
