"""La limite de débit : `PLIE_API_DEBIT_PAR_MINUTE` requêtes par minute et par clé (par compte
pour une session), comptées dans le cache `partage` pour valoir sur tous les serveurs. Au-delà :
429 avec `Retry-After`."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from parcours.core.models import CleApi


class DebitParCle(SimpleRateThrottle):
    scope = "cle"

    def __init__(self):
        self.cache = caches["partage"]
        # Lu à chaque requête (et non à l'import) : réglable sans redémarrer les tests.
        self.rate = f"{settings.PLIE_API_DEBIT_PAR_MINUTE}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, CleApi):
            return f"api-debit-cle-{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"api-debit-compte-{request.user.pk}"
        return f"api-debit-ip-{self.get_ident(request)}"
