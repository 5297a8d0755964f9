"""Réglages de test : ceux de config.settings en mode développement, plus des garde-fous."""

import os
import sys

os.environ.setdefault("DJANGO_DEBUG", "1")

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, TEMPLATES

NOS_GABARITS = str(BASE_DIR / "templates")


class UndefinedVariable(str):
    """Une variable indéfinie dans l'un de nos gabarits fait échouer le test.

    Les gabarits de viewflow s'appuient sur des variables facultatives : le nœud qui résout la
    variable est retrouvé dans la pile pour ne juger que ceux de `templates/`.
    """

    def __mod__(self, name):
        frame = sys._getframe(1)
        while frame is not None:
            node = frame.f_locals.get("self")
            origin = getattr(node, "origin", None)
            if origin is not None and getattr(origin, "name", None):
                if str(origin.name).startswith(NOS_GABARITS):
                    raise AssertionError(f"Variable de gabarit indéfinie : {name} ({origin.name})")
                return ""
            frame = frame.f_back
        return ""


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = UndefinedVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Remise à zéro des tests transactionnels par DELETE plutôt que TRUNCATE (config/pg_tests).
DATABASES["default"]["ENGINE"] = "config.pg_tests"  # noqa: F405

# Plusieurs suites lancées en même temps sur le même serveur (postes de développement) :
# PLIE_TEST_DB_NAME leur donne chacune sa base de test.
if os.environ.get("PLIE_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["PLIE_TEST_DB_NAME"]}  # noqa: F405

# pytest-django éteint DEBUG pendant les tests : WhiteNoise servirait alors STATIC_ROOT (absent,
# pas de collectstatic) ; comme en développement, il lit les fichiers des apps à la demande.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
