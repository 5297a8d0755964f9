"""La garde commune de chaque prédicat, écrite une seule fois : un compte anonyme ou inactif n'a
aucun droit et ne voit rien ; un superutilisateur actif a tous les droits et voit tout (sauf là où
un prédicat le dit autrement)."""

from functools import wraps

from django.apps import apps

from parcours.core.perimetre import actif


def droit(func):
    """Prédicat booléen `f(user, ...)`."""

    @wraps(func)
    def garde(user, *args, **kwargs):
        if not actif(user):
            return False
        if user.is_superuser:
            return True
        return func(user, *args, **kwargs)

    return garde


def liste(modele: str, superuser_voit_tout: bool = True):
    """Prédicat de liste `f(user, queryset=None, ...)` sur `modele` ("app_label.Modele") : le
    queryset filtré (tous les objets du modèle par défaut)."""

    def decorateur(func):
        @wraps(func)
        def garde(user, queryset=None, *args, **kwargs):
            if queryset is None:
                queryset = apps.get_model(modele).objects.all()
            if not actif(user):
                return queryset.none()
            if superuser_voit_tout and user.is_superuser:
                return queryset
            return func(user, queryset, *args, **kwargs)

        return garde

    return decorateur
