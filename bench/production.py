"""L'application lancée comme en production, pour le test de charge (bench/charge.py) et le test à
deux serveurs (tests/deploiement/) : un `gunicorn config.wsgi` sur un port libre, arrêté quoi
qu'il arrive, et un client HTTP placé derrière le répartiteur (docs/deploiement.md)."""

import contextlib
import http.client
import http.cookies
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
ECOUTE = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
JETON_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@contextlib.contextmanager
def gunicorn(env: dict, journal: Path):
    """`gunicorn config.wsgi` (gunicorn.conf.py), sa sortie dans `journal` (le port choisi s'y
    lit : `ECOUTE`) ; arrêté à la sortie (SIGTERM au groupe, puis SIGKILL), même sur une erreur."""
    with journal.open("wb") as sortie:
        processus = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi"],
            cwd=RACINE,
            env=env,
            stdout=sortie,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield processus
    finally:
        if processus.poll() is None:
            os.killpg(processus.pid, signal.SIGTERM)
        try:
            processus.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(processus.pid, signal.SIGKILL)
            processus.wait(timeout=10)


class ClientHttp:
    """Un navigateur derrière le répartiteur : HTTPS terminé en amont (X-Forwarded-Proto), le
    nom public `hote`, et les cookies (session, CSRF) gardés d'une requête à l'autre, quel que
    soit le serveur qui répond."""

    def __init__(self, hote: str):
        self.hote = hote
        self.cookies: dict[str, str] = {}

    def requete(self, port: int, methode: str, chemin: str, corps=None, entetes=None):
        """Rend la réponse (`http.client.HTTPResponse`, déjà lue) et son contenu en octets."""
        tous = {
            "Host": self.hote,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{self.hote}",
            "Referer": f"https://{self.hote}{chemin}",
            **(entetes or {}),
        }
        if self.cookies:
            tous["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connexion.request(methode, chemin, body=corps, headers=tous)
            reponse = connexion.getresponse()
            contenu = reponse.read()
        finally:
            connexion.close()
        for entete in reponse.headers.get_all("Set-Cookie") or []:
            for nom, morceau in http.cookies.SimpleCookie(entete).items():
                self.cookies[nom] = morceau.value
        return reponse, contenu
