"""Deux sessions qui se disputent un verrou, dans un ordre garanti : l'écriture de l'autre fil
n'est validée qu'une fois la session de ce fil-ci en attente de son verrou (pas une pause
devinée, qui sur une machine chargée laisserait la course ne pas avoir lieu)."""

import threading

from django.db import connection, connections, transaction


def attendre_que_l_autre_attende(pid: int) -> None:
    """Jusqu'à ce que la session `pid` attende un verrou (au plus 10 s)."""
    with connection.cursor() as curseur:
        for _ in range(200):
            curseur.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'", [pid]
            )
            if curseur.fetchone():
                return
            threading.Event().wait(0.05)
    raise AssertionError("l'autre session n'a jamais attendu le verrou")


def pendant_que(ecrire, puis) -> None:
    """`ecrire()` dans une transaction d'un autre fil, validée seulement quand la session de ce
    fil-ci, qui fait `puis()`, attend son verrou. Pour un test `transaction=True`."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT pg_backend_pid()")
        (moi,) = curseur.fetchone()
    pret, fin = threading.Event(), {}

    def autre():
        try:
            with transaction.atomic():
                ecrire()
                pret.set()
                attendre_que_l_autre_attende(moi)
            fin["ok"] = True
        finally:
            connections.close_all()

    fil = threading.Thread(target=autre)
    fil.start()
    assert pret.wait(10)
    puis()
    fil.join(10)
    assert fin == {"ok": True}
