"""Les contrôles objet de Django (`user.has_perm(perm, obj)`) suivent la politique d'accès."""

from parcours import access
from parcours.core.enums import Role
from parcours.core.models import PLIE

PERMISSIONS_DE_LECTURE = {"accompagnement.view_parcours", "participants.view_participant"}
ANIMER_PLIE = "core.animer_plie"
# La file des tâches de suivi dans l'emploi (appel, visite…) : les CRE du PLIE (docs/emploi.md).
SUIVRE_EMPLOI_PLIE = "core.suivre_emploi_plie"


class PolitiqueAccesBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not getattr(user_obj, "is_active", False):
            return False
        if perm == ANIMER_PLIE and isinstance(obj, PLIE):
            return access.perimetre(user_obj).a_role(obj.pk, {Role.ANIMATEUR, Role.DIRECTION})
        if perm == SUIVRE_EMPLOI_PLIE and isinstance(obj, PLIE):
            return access.perimetre(user_obj).a_role(obj.pk, {Role.CRE})
        if perm in PERMISSIONS_DE_LECTURE:
            return access.peut_voir(user_obj, obj)
        return False

    def get_user(self, user_id):
        return None
