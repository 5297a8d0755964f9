"""L'adresse du client derrière le répartiteur (docs/securite.md, « Production »).

Derrière gunicorn et un répartiteur (nginx, HAProxy…), `REMOTE_ADDR` est l'adresse du
répartiteur : tous les clients auraient la même, et le verrouillage des connexions (django-axes,
par couple identifiant + adresse) deviendrait un verrouillage par identifiant. Le répartiteur
ajoute l'adresse de son client à `X-Forwarded-For` ; **seul** un répartiteur de confiance peut
être cru, sinon n'importe qui écrirait l'adresse qu'il veut dans l'en-tête et échapperait au
verrouillage en en changeant à chaque essai.

`PLIE_MANDATAIRES_DE_CONFIANCE` (adresses ou réseaux, séparés par des virgules :
`10.0.0.5,10.0.1.0/24`) nomme les répartiteurs. Pour une requête venue de l'un d'eux,
`MandatairesMiddleware` lit `X-Forwarded-For` **de droite à gauche** et retient la première
adresse qui n'est pas un répartiteur de confiance : ce que le client a pu écrire lui-même est à
gauche de ce qu'ajoutent nos répartiteurs, il n'est donc jamais retenu. Cette adresse remplace
`REMOTE_ADDR` (l'adresse du répartiteur reste dans `PLIE_ADRESSE_MANDATAIRE`) : django-axes et
le journal des accès lisent la même. Une requête venue d'ailleurs (client direct) garde son
`REMOTE_ADDR` ; son `X-Forwarded-For` n'est jamais lu. Sans réglage (par défaut), l'en-tête
n'est lu pour personne.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENTETE = "HTTP_X_FORWARDED_FOR"


@functools.lru_cache(maxsize=4)
def reseaux_de_confiance(valeurs: tuple) -> tuple:
    """Les réseaux des répartiteurs ; une valeur illisible arrête le démarrage (mieux qu'un
    réglage ignoré sans bruit)."""
    reseaux = []
    for valeur in valeurs:
        try:
            reseaux.append(ipaddress.ip_network(valeur.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"PLIE_MANDATAIRES_DE_CONFIANCE : « {valeur} » n'est ni une adresse IP ni un "
                "réseau (ex. 10.0.0.5 ou 10.0.1.0/24)."
            ) from None
    return tuple(reseaux)


def _adresse(texte: str):
    try:
        return ipaddress.ip_address(texte.strip())
    except ValueError:
        return None


def _de_confiance(adresse, reseaux) -> bool:
    return adresse is not None and any(adresse in reseau for reseau in reseaux)


def adresse_du_client(meta: dict, reseaux) -> str | None:
    """L'adresse du client : `REMOTE_ADDR`, ou, si elle est celle d'un répartiteur de confiance,
    la plus à droite des adresses de `X-Forwarded-For` qui n'en est pas un."""
    distante = meta.get("REMOTE_ADDR") or None
    if not reseaux or not _de_confiance(_adresse(distante or ""), reseaux):
        return distante
    for texte in reversed(meta.get(ENTETE, "").split(",")):
        adresse = _adresse(texte)
        if adresse is None:
            # Illisible (saisi à la main par le client, ou « unknown ») : au-delà, rien n'est sûr.
            return distante
        if not _de_confiance(adresse, reseaux):
            return str(adresse)
    return distante


class MandatairesMiddleware:
    """Remplace `REMOTE_ADDR` par l'adresse du client quand la requête vient d'un répartiteur de
    confiance (`PLIE_MANDATAIRES_DE_CONFIANCE`) ; à placer avant tout ce qui lit l'adresse."""

    def __init__(self, get_response):
        self.get_response = get_response
        reseaux_de_confiance(tuple(settings.PLIE_MANDATAIRES_DE_CONFIANCE))  # vérifié au démarrage

    def __call__(self, request):
        # Relu à chaque requête (lu une fois : `lru_cache`), pour suivre `override_settings`.
        reseaux = reseaux_de_confiance(tuple(settings.PLIE_MANDATAIRES_DE_CONFIANCE))
        if reseaux:
            client = adresse_du_client(request.META, reseaux)
            if client != request.META.get("REMOTE_ADDR"):
                request.META["PLIE_ADRESSE_MANDATAIRE"] = request.META.get("REMOTE_ADDR")
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


def adresse_pour_axes(request) -> str | None:
    """`AXES_CLIENT_IP_CALLABLE` : l'adresse qu'a fixée `MandatairesMiddleware` (`REMOTE_ADDR`),
    même si django-ipware venait à être installé (il lirait les en-têtes à sa façon)."""
    return request.META.get("REMOTE_ADDR") or None
