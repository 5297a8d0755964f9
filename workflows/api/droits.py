"""Les droits d'une clé : chaque vue déclare le droit qu'exige chaque méthode (`droits`) ; une
clé qui ne l'a pas reçoit 403. Un compte connecté par session n'a pas de droits de clé : seule
la politique d'accès le limite, comme sur les écrans."""

from rest_framework import permissions

from parcours.core.enums import DroitCle
from parcours.core.models import CleApi


class DroitDeLaCle(permissions.BasePermission):
    message = "Authentification requise : clé d'API ou session."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if not isinstance(request.auth, CleApi):
            return True
        droit = getattr(view, "droits", {}).get(request.method)
        if droit is None and request.method in ("HEAD", "OPTIONS"):
            droit = getattr(view, "droits", {}).get("GET")
        if droit is None or droit not in request.auth.droits:
            libelle = DroitCle(droit).label if droit else "—"
            self.message = (
                f"Cette clé n'a pas le droit « {libelle} » : voyez l'administrateur du PLIE."
            )
            return False
        return True
