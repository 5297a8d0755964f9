"""Les contrôles objet de Django (`user.has_perm(perm, obj)`) suivent la politique d'accès."""

from parcours import access

PERMISSIONS_DE_LECTURE = {"accompagnement.view_parcours", "participants.view_participant"}


class PolitiqueAccesBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or perm not in PERMISSIONS_DE_LECTURE:
            return False
        return access.peut_voir(user_obj, obj)

    def get_user(self, user_id):
        return None
