import time, cProfile, pstats, io
import pytest
from parcours.core.models import User

def test_lent(client, db):
    u = User.objects.create(username="x")
    u.set_password("bon"); u.save()
    for i in range(3):
        t = time.perf_counter()
        pr = cProfile.Profile(); pr.enable()
        r = client.post("/connexion/", {"username": "x", "password": "mauvais"})
        pr.disable()
        print("POST", i, time.perf_counter() - t, r.status_code)
        if i == 0:
            s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(25); print(s.getvalue())
    t = time.perf_counter()
    r = client.post("/connexion/", {"username": "inconnu", "password": "mauvais"})
    print("UNKNOWN", time.perf_counter() - t)
