from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from parcours.core.models import PLIE, Commune, Membership, Structure, Territoire, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["structure"]


@admin.register(User)
class PlieUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]


@admin.register(PLIE)
class PLIEAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "structure_porteuse"]
    search_fields = ["code", "nom"]


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    list_display = ["nom", "code", "plie"]
    list_filter = ["plie"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["nom", "insee", "territoire", "plie"]
    list_filter = ["plie", "territoire"]
    search_fields = ["nom", "insee"]
    list_select_related = ["territoire", "plie"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "plie", "territoire"]
    list_filter = ["plie", "type"]
    search_fields = ["nom"]
    list_select_related = ["plie", "territoire"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "structure", "debut", "fin"]
    list_filter = ["role", "structure__plie"]
    search_fields = ["user__username", "user__last_name", "structure__nom"]
    autocomplete_fields = ["user", "structure"]
    list_select_related = ["user", "structure"]
