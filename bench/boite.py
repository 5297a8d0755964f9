"""Mesure « Mes tâches restreinte / Task.inbox de viewflow » (issue 11, docs/PERFORMANCE.md).

La cible : la boîte du référent, restreinte par la politique d'accès (`workflows.access.
mes_taches`), dans les 2× de la boîte non restreinte de viewflow (`Task.objects.inbox`) pour le
même utilisateur. Chaque requête (51 premières tâches, même ordre) passe `PASSAGES` fois à
`EXPLAIN (ANALYZE)` : on garde le passage au plus petit total planification + exécution (le
moins bruité sur une machine partagée). On chronomètre aussi l'aller-retour réel (exécution et
lecture des lignes par Django, minimum de `PASSAGES`) : c'est lui que des requêtes préparées
côté serveur changeraient, pas EXPLAIN.
"""

import json
import time

PASSAGES = 15
PREMIERES = 51  # l'accueil lit 50 tâches et une de plus pour savoir s'il y en a d'autres
COMPTE = "referent"  # le référent du premier PLIE du banc (bench.mesure.PLIE)


def expliquer(queryset) -> dict:
    """Le meilleur de `PASSAGES` EXPLAIN ANALYZE (ms de planification, d'exécution, total) et le
    meilleur aller-retour réel."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    meilleur, aller_retour = None, []
    with connection.cursor() as curseur:
        for _ in range(PASSAGES):
            curseur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            (plan,) = curseur.fetchone()
            plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
            mesure = {
                "planification": plan["Planning Time"],
                "execution": plan["Execution Time"],
                "lignes": plan["Plan"].get("Actual Rows", 0),
            }
            mesure["ms"] = mesure["planification"] + mesure["execution"]
            if meilleur is None or mesure["ms"] < meilleur["ms"]:
                meilleur = mesure
        for _ in range(PASSAGES):
            debut = time.perf_counter()
            curseur.execute(sql, params)
            curseur.fetchall()
            aller_retour.append(time.perf_counter() - debut)
    return {**meilleur, "aller_retour": min(aller_retour) * 1000}


def requetes(user):
    """(libellé, queryset) : la boîte de viewflow et la nôtre, mêmes premières tâches, même
    ordre (le plus récent d'abord)."""
    from viewflow.workflow.models import Task

    from workflows import access
    from workflows.accueil.boites import tous_les_types

    flux = {noeud.flow_class for _, noeud in tous_les_types().values()}
    ordre = ("-created", "-id")
    return [
        ("Task.objects.inbox de viewflow", Task.objects.inbox(flux, user).order_by(*ordre)),
        ("mes_taches restreinte", access.mes_taches(user).order_by(*ordre)),
    ]


def mesurer(username: str) -> list[tuple[str, dict]]:
    """Les deux mesures et leur rapport (restreinte / viewflow), pour le compte `username`."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from parcours.core.models import User

    user = User.objects.get(username=username)
    taches = Task.objects.filter(owner=user, status=STATUS.ASSIGNED).count()
    mesures = [(libelle, expliquer(qs[:PREMIERES])) for libelle, qs in requetes(user)]
    (_, viewflow), (_, restreinte) = mesures
    rapport = {cle: restreinte[cle] / viewflow[cle] for cle in ("ms", "aller_retour")}
    mesures.append(("rapport restreinte / viewflow", {**rapport, "rapport": True}))
    return [(f"{libelle} ({username})", {**m, "taches": taches}) for libelle, m in mesures]
