"""Des serveurs gunicorn de production contre la base de test, et un navigateur minimal.

Chaque serveur choisit lui-même un port libre (`127.0.0.1:0`), lu dans son journal ; il est
arrêté (SIGTERM, puis SIGKILL) à la sortie, même si le test échoue.
"""

import contextlib
import os
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.production import ECOUTE, JETON_CSRF, ClientHttp, gunicorn

HOTE = "plie.example.org"  # le nom public, derrière le répartiteur


def url_de_la_base(reglages: dict) -> str:
    """L'URL de la base de test (serveur TCP, ou socket du serveur embarqué de `make test`)."""
    utilisateur = quote(reglages["USER"] or "")
    mot_de_passe = f":{quote(reglages['PASSWORD'])}" if reglages["PASSWORD"] else ""
    options = reglages.get("OPTIONS", {})
    hote = reglages["HOST"] or options.get("host") or "127.0.0.1"
    port = reglages["PORT"] or options.get("port") or "5432"
    if hote.startswith("/"):
        requete = urlencode({"host": hote, "port": port})
        return f"postgresql://{utilisateur}{mot_de_passe}@/{reglages['NAME']}?{requete}"
    return f"postgresql://{utilisateur}{mot_de_passe}@{hote}:{port}/{reglages['NAME']}"


def environnement(base_de_donnees: str, dossier: Path) -> dict:
    """Le mode production (DEBUG éteint), un worker par serveur, documents et statiques communs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PLIE_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "deux-serveurs-" + "7f3b9c2e1d4a5b6c8e9f0a1b2c3d4e5f" * 2,
        "DJANGO_ALLOWED_HOSTS": HOTE,
        "DATABASE_URL": base_de_donnees,
        "PLIE_MEDIA_ROOT": str(dossier / "media"),
        "PLIE_STATIC_ROOT": str(dossier / "static"),
        "PLIE_STATIQUES": "simples",
        "PLIE_BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "1",
    }


@contextlib.contextmanager
def serveurs(nombre: int, env: dict, dossier: Path):
    """`nombre` serveurs gunicorn (`gunicorn config.wsgi`, comme en production) ; leurs ports."""
    with contextlib.ExitStack() as pile:
        journaux = [dossier / f"gunicorn-{i}.log" for i in range(nombre)]
        processus = [pile.enter_context(gunicorn(env, journal)) for journal in journaux]
        yield [attendre_le_port(p, j) for p, j in zip(processus, journaux, strict=True)]


def attendre_le_port(processus, journal: Path, delai=120) -> int:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        trouve = ECOUTE.search(journal.read_text(errors="replace"))
        if trouve:
            return int(trouve.group(1))
        if processus.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"gunicorn n'a pas démarré :\n{journal.read_text(errors='replace')}")


class Navigateur(ClientHttp):
    """Un navigateur derrière le répartiteur (bench/production.py) : le même nom d'hôte et le
    même cookie de session quel que soit le serveur qui répond."""

    def __init__(self):
        super().__init__(HOTE)

    def get(self, port, chemin):
        return self.requete(port, "GET", chemin)

    def jeton(self, port, chemin) -> str:
        reponse, contenu = self.get(port, chemin)
        assert reponse.status == 200, (chemin, reponse.status)
        return JETON_CSRF.search(contenu.decode()).group(1)

    def post(self, port, chemin, champs: dict, fichiers: dict | None = None, formulaire=None):
        """Le formulaire de `formulaire` (par défaut `chemin`) donne le jeton CSRF."""
        champs = {"csrfmiddlewaretoken": self.jeton(port, formulaire or chemin), **champs}
        if not fichiers:
            corps = urlencode(champs).encode()
            type_contenu = "application/x-www-form-urlencoded"
        else:
            corps, type_contenu = multipart(champs, fichiers)
        return self.requete(port, "POST", chemin, corps, {"Content-Type": type_contenu})


def multipart(champs: dict, fichiers: dict) -> tuple[bytes, str]:
    limite = uuid.uuid4().hex
    parties = []
    for nom, valeur in champs.items():
        entete = f'--{limite}\r\nContent-Disposition: form-data; name="{nom}"\r\n\r\n'
        parties.append(f"{entete}{valeur}\r\n".encode())
    for nom, (nom_fichier, contenu) in fichiers.items():
        parties.append(
            f'--{limite}\r\nContent-Disposition: form-data; name="{nom}"; '
            f'filename="{nom_fichier}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + contenu
            + b"\r\n"
        )
    parties.append(f"--{limite}--\r\n".encode())
    return b"".join(parties), f"multipart/form-data; boundary={limite}"
