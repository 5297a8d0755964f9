"""Réglages des commandes qui ne lisent que des fichiers : `evaluer_sortie` et
`evaluer_eligibilite` (docs/sortie.md, docs/eligibilite.md).

`manage.py` les choisit pour ces commandes quand `DJANGO_SETTINGS_MODULE` n'est pas donné : elles
marchent alors telles que documentées dans un shell neuf, sans `DJANGO_DEBUG` ni réglages de
production. Elles n'ouvrent aucune base, ne servent aucune page et ne signent rien : la base
indiquée ici n'existe pas (une requête échouerait au lieu de toucher une vraie base) et la clé
secrète est tirée au hasard à chaque lancement. Les variables déjà posées (`DJANGO_DEBUG=1`,
`DATABASE_URL`…) sont respectées.
"""

import os
import secrets

os.environ.setdefault("DATABASE_URL", "postgresql://outils@aucune-base.invalid:5432/aucune")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("PLIE_STATIQUES", "simples")

from config.settings import *  # noqa: F403
