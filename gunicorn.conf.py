"""Le serveur d'application en production : `gunicorn config.wsgi` (docs/deploiement.md).

gunicorn lit ce fichier dans le répertoire courant ; chaque réglage vient de l'environnement.
"""

import os

from gunicorn.glogging import Logger

# Derrière le répartiteur (nginx, HAProxy…) : PORT ou PLIE_BIND (ex. unix:/run/plie.sock).
bind = os.environ.get("PLIE_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Processus par nœud : 2 par cœur + 1 (recommandation de gunicorn), sinon WEB_CONCURRENCY.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Les PDF (contrat d'engagement, procès-verbal) se génèrent dans la requête.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Un processus est remplacé après ~1 000 requêtes : la mémoire d'un worker ne dérive pas.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# Journal des requêtes : désactivé par défaut (le répartiteur a le sien) ; "-" = sortie standard.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

SONDES = ("/sante/", "/pret/")  # config/sante.py


class JournalSansSondes(Logger):
    """Le journal des requêtes sans les sondes du répartiteur (une toutes les quelques secondes)."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") not in SONDES:
            super().access(resp, req, environ, request_time)


logger_class = JournalSansSondes
