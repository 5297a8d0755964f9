#!/usr/bin/env python
import os
import sys

# Commandes qui ne lisent que des fichiers (ni base, ni réglages de production) : elles marchent
# dans un shell neuf, sans DJANGO_DEBUG (config/settings_outils.py).
COMMANDES_SANS_BASE = {"evaluer_sortie", "evaluer_eligibilite"}


def main():
    commande = sys.argv[1] if len(sys.argv) > 1 else ""
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE",
        "config.settings_outils" if commande in COMMANDES_SANS_BASE else "config.settings",
    )
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 — charge les réglages : une erreur d'une ligne
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"manage.py {commande} : réglages incomplets : {exc}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
