"""Réglages de test : ceux de config.settings en mode développement, plus des garde-fous."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES


class UndefinedVariable(str):
    """Une variable de gabarit indéfinie dans nos gabarits fait échouer le test."""

    def __mod__(self, name):
        raise AssertionError(f"Variable de gabarit indéfinie : {name}")


# Seuls nos gabarits sont stricts : ceux de viewflow s'appuient sur des variables optionnelles.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = UndefinedVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
