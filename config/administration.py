"""L'admin Django : l'administration technique de l'instance, réservée à ses superutilisateurs.

Ses écrans (comptes, permissions, tous les PLIE) ne sont pas filtrés par PLIE : un membre du
personnel d'un PLIE y administrerait les autres. Chaque PLIE s'administre donc dans l'application
(« Administration du PLIE », `workflows/administration/`), limitée à son PLIE ; ici, seul un
superutilisateur actif entre (docs/architecture.md).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class AdministrationInstance(admin.AdminSite):
    site_header = "Administration de l'instance"
    site_title = "Administration de l'instance"
    index_title = "Tous les PLIE de l'instance"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class AdministrationInstanceConfig(AdminConfig):
    default_site = "config.administration.AdministrationInstance"
