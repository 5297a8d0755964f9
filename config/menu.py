"""Le menu de gauche n'affiche que les applications que l'utilisateur peut utiliser.

Pourquoi pas `Application.has_view_permission` ? Le gabarit du menu de viewflow s'en sert pour
filtrer, mais `viewflow.middleware.SiteMiddleware` (ajouté d'office par viewflow) l'appelle aussi
à chaque requête de l'application et répond 403 s'il est faux : un anonyme n'irait plus à la
page de connexion, et un dossier hors périmètre répondrait 403 au lieu de 404. Nos applications
gardent donc `has_view_permission` vrai (chaque page applique la politique d'accès) et c'est la
liste des entrées du menu, `Site.menu_items`, qui est filtrée.

`menu_items` ne reçoit pas la requête : un petit middleware place l'utilisateur courant dans une
`ContextVar` (propre à chaque requête, y compris en ASGI) le temps de la réponse, gabarits
compris. Sans utilisateur (hors requête), le menu est vide. Les prédicats de visibilité viennent
de `parcours/acces/` (`voit_le_menu_…`) ; une application absente de `menu` (flux, « Emploi
et sortie » dont l'index ne fait que rediriger) n'y figure pas, mais ses URL restent servies.
"""

from collections.abc import Callable
from contextvars import ContextVar

from viewflow.urls import Site

_utilisateur_courant: ContextVar = ContextVar("utilisateur_du_menu", default=None)


class UtilisateurDuMenuMiddleware:
    """Rend `request.user` visible de `SitePLIE.menu_items` pendant la requête."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        jeton = _utilisateur_courant.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _utilisateur_courant.reset(jeton)


class SitePLIE(Site):
    """Un `Site` viewflow dont le menu est filtré par `menu` : {app_name: prédicat(user)}."""

    def __init__(self, *, menu: dict[str, Callable], **kwargs):
        super().__init__(**kwargs)
        self.menu = menu

    def menu_items(self):
        user = _utilisateur_courant.get()
        if user is None:
            return
        for app in super().menu_items():
            voit = self.menu.get(app.app_name)
            if voit is not None and voit(user):
                yield app
