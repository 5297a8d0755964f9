"""`make run` : base (embarquée si DATABASE_URL est absent), migrations, démo (données, flux,
suivi, emploi, entreprises, clauses ; clé d'API de démo, jeton affiché) au premier démarrage,
serveur web sur 127.0.0.1:8000 et répartiteur des commandes périodiques (minuteries viewflow,
relances, alertes, intérims ; et chaque jour, la conservation des données et la purge des
sessions échues).

Ctrl-C arrête tout, y compris le serveur PostgreSQL embarqué ; les données restent dans .data/.
"""

import datetime
import os
import signal
import subprocess
import sys
import time

from config import embedded_pg

TIMERS_EVERY_SECONDS = 60
# Les commandes périodiques, toutes idempotentes : minuteries viewflow, relances des tâches en
# retard, alertes de suivi (ouvertes et levées), intérims échus ou qui commencent. Chacune prend
# un verrou consultatif PostgreSQL (parcours/core/periodiques.py) : ce répartiteur peut tourner
# sur chaque nœud, une seule passe de chaque commande tourne à la fois (docs/deploiement.md).
COMMANDES_PERIODIQUES = (
    "executer_minuteries",
    "envoyer_relances",
    "verifier_alertes",
    "expirer_delegations",
)
# Les reprises d'historique confirmées à l'écran et mises en tâche de fond (docs/reprise.md) :
# sans verrou de passe, chaque travail est pris par un seul nœud (SELECT … FOR UPDATE SKIP
# LOCKED). Lancées après les autres : une longue reprise ne retarde que la passe suivante de ce
# nœud.
COMMANDES_DE_FOND = ("executer_reprises",)
# Une fois par jour (au démarrage, puis au changement de date) : la conservation des données
# (documents et identités échus, purge du journal des accès : docs/rgpd.md), la purge des
# sessions échues (`purger_sessions`, le `clearsessions` de Django sous verrou consultatif) et les
# participations FSE+ des opérations finies ou nouvelles (docs/fse.md).
COMMANDES_QUOTIDIENNES = ("appliquer_conservation", "purger_sessions", "rattacher_operations_fse")


def manage(*args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], check=True, **kwargs)


def main():
    os.environ.setdefault("DJANGO_DEBUG", "1")
    embarque = not os.environ.get("DATABASE_URL")
    if embarque:
        os.environ["DATABASE_URL"] = embedded_pg.database_url()
        print(f"PostgreSQL embarqué : {embedded_pg.DATA_DIR}")
    children = []
    try:
        manage("migrate", "--no-input")
        # La table du cache en base (docs/deploiement.md) ; sans effet si elle existe.
        manage("createcachetable")
        manage("charger_demo", "--si-vide")
        manage("demo_flux")
        manage("demo_suivi")
        # Le jeton de la clé d'API de démo (docs/api.md) ; refusée hors DJANGO_DEBUG : on continue.
        subprocess.run([sys.executable, "manage.py", "demo_cle_api"], check=False)
        children.append(
            subprocess.Popen([sys.executable, "manage.py", "runserver", "127.0.0.1:8000"])
        )
        print("Application : http://127.0.0.1:8000 (Ctrl-C pour arrêter)")
        dernier_jour = None
        while all(child.poll() is None for child in children):
            if dernier_jour != datetime.date.today():
                dernier_jour = datetime.date.today()
                for commande in COMMANDES_QUOTIDIENNES:
                    subprocess.run(
                        [sys.executable, "manage.py", commande],
                        check=False,
                        stdout=subprocess.DEVNULL,
                    )
            # Une passe par minute ; sur un autre nœud qui la tient déjà, la commande sort aussitôt.
            for commande in COMMANDES_PERIODIQUES + COMMANDES_DE_FOND:
                subprocess.run(
                    [sys.executable, "manage.py", commande], check=False, stdout=subprocess.DEVNULL
                )
            for _ in range(TIMERS_EVERY_SECONDS):
                if any(child.poll() is not None for child in children):
                    break
                time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if embarque:
            embedded_pg.stop()
            print("PostgreSQL embarqué arrêté.")


if __name__ == "__main__":
    main()
