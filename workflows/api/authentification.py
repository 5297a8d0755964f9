"""Qui appelle l'API : une clé d'API (`Authorization: Bearer plie_…`) ou, pour le navigateur
(documentation interactive), la session ouverte par la page de connexion
(`SessionAuthentication` de DRF, CSRF exigé pour écrire : réglage REST_FRAMEWORK)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from parcours.core.cles import CleRefusee, cle_du_jeton, noter_utilisation

SCHEMA = "Bearer"


class AuthentificationParCle(authentication.BaseAuthentication):
    """`request.user` : le compte technique de la clé ; `request.auth` : la clé (`CleApi`)."""

    def authenticate(self, request):
        entete = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not entete:
            return None
        schema, _, jeton = entete.partition(" ")
        if schema.lower() != SCHEMA.lower() or not jeton.strip():
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization illisible : « Bearer plie_… » attendu."
            )
        try:
            cle = cle_du_jeton(jeton)
        except CleRefusee as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from None
        if not cle.compte.is_active:
            raise exceptions.AuthenticationFailed("Clé d'API désactivée.")
        noter_utilisation(cle)
        return cle.compte, cle

    def authenticate_header(self, request):
        return f'{SCHEMA} realm="api"'


class SchemaCle(OpenApiAuthenticationExtension):
    target_class = AuthentificationParCle
    name = "cleApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "plie_<préfixe>_<secret>",
            "description": "Clé d'API créée par l'administrateur du PLIE (docs/api.md).",
        }
