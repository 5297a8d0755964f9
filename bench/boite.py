"""Mesure « Mes tâches restreinte / Task.inbox de viewflow » (issue 11, docs/PERFORMANCE.md).

La cible : la boîte du référent, restreinte par la politique d'accès (`workflows.access.
mes_taches`), dans les 2× de la boîte non restreinte de viewflow (`Task.objects.inbox`) pour le
même utilisateur. Chaque requête (51 premières tâches, même ordre) passe `PASSAGES` fois à
`EXPLAIN (ANALYZE)` : on garde le passage au plus petit total planification + exécution (le
moins bruité sur une machine partagée). On chronomètre aussi l'aller-retour réel (exécution et
lecture des lignes par Django, minimum de `PASSAGES`), très bruité sur une machine chargée.
Enfin, la même requête préparée côté serveur (`PREPARE`, puis `EXPLAIN ANALYZE EXECUTE` après
les cinq exécutions au bout desquelles PostgreSQL peut garder un plan générique) : ce que
donneraient des requêtes préparées (piste b de l'issue 11), sans rien changer aux réglages.
"""

import json
import time

PASSAGES = 15
PREMIERES = 51  # l'accueil lit 50 tâches et une de plus pour savoir s'il y en a d'autres
COMPTE = "referent"  # le référent du premier PLIE du banc (bench.mesure.PLIE)
PILOTAGE = "animateur"  # voit tout son PLIE : la boîte ne doit pas grandir avec lui
PRISES = 40  # tâches de la file prises par l'animateur le temps de la mesure
# Libellés des mesures (suivis du compte entre parenthèses) ; bench/__main__.py les apparie.
VIEWFLOW = "Task.objects.inbox de viewflow"
RESTREINTE = "mes_taches restreinte"
RAPPORT = "rapport restreinte / viewflow"


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
        # Sous `server_side_binding`, les requêtes sont déjà préparées par psycopg (et EXECUTE
        # n'accepte pas de paramètres liés) : rien à mesurer de plus.
        lie = connection.settings_dict["OPTIONS"].get("server_side_binding")
        prepare = {} if lie else _preparee(curseur, sql, params)
    return {**meilleur, "aller_retour": min(aller_retour) * 1000, **prepare}


def _meilleur_plan(curseur, sql, params) -> dict:
    meilleur = None
    for _ in range(PASSAGES):
        curseur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        (plan,) = curseur.fetchone()
        plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
        mesure = (plan["Planning Time"] + plan["Execution Time"], plan["Planning Time"])
        meilleur = mesure if meilleur is None or mesure < meilleur else meilleur
    return meilleur


def _preparee(curseur, sql, params) -> dict:
    """La requête préparée (`$1`… à la place des paramètres), exécutée cinq fois (plans sur
    mesure) puis mesurée comme les autres : planification (plan gardé) + exécution."""
    # Django double les % littéraux : le formatage les rend et place $1, $2…
    texte = sql % tuple(f"${i}" for i in range(1, len(params) + 1))
    curseur.execute(f"PREPARE boite_mesuree AS {texte}")
    try:
        execute = "EXECUTE boite_mesuree" + (
            f"({', '.join(['%s'] * len(params))})" if params else ""
        )
        for _ in range(5):
            curseur.execute(execute, params)
        total, planification = _meilleur_plan(curseur, execute, params)
    finally:
        curseur.execute("DEALLOCATE boite_mesuree")
    return {"preparee": total, "preparee_planification": planification}


def requetes(user):
    """(libellé, queryset) : la boîte de viewflow et la nôtre, mêmes premières tâches, même
    ordre (le plus récent d'abord)."""
    from viewflow.workflow.models import Task

    from workflows import access
    from workflows.accueil.boites import tous_les_types

    flux = {noeud.flow_class for _, noeud in tous_les_types().values()}
    ordre = ("-created", "-id")
    return [
        (VIEWFLOW, Task.objects.inbox(flux, user).order_by(*ordre)),
        (RESTREINTE, access.mes_taches(user).order_by(*ordre)),
    ]


def rapport(restreinte: dict, viewflow: dict) -> dict:
    """Restreinte / viewflow pour chaque temps mesuré des deux (le préparé manque sous
    `server_side_binding`)."""
    cles = ("ms", "aller_retour", "preparee")
    return {cle: restreinte[cle] / viewflow[cle] for cle in cles if cle in viewflow}


def mesurer(username: str) -> list[tuple[str, dict]]:
    """Les deux mesures et leur rapport (restreinte / viewflow), pour le compte `username`."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from parcours.core.models import User

    user = User.objects.get(username=username)
    taches = Task.objects.filter(owner=user, status=STATUS.ASSIGNED).count()
    mesures = [(libelle, expliquer(qs[:PREMIERES])) for libelle, qs in requetes(user)]
    (_, viewflow), (_, restreinte) = mesures
    mesures.append((RAPPORT, {**rapport(restreinte, viewflow), "rapport": True}))
    return [(f"{libelle} ({username})", {**m, "taches": taches}) for libelle, m in mesures]


class _Annulee(Exception):
    pass


def mesurer_pilotage(username: str, plie_id: int) -> list[tuple[str, dict]]:
    """La même mesure pour un compte de pilotage, qui voit tout son PLIE (5 200 dossiers à
    100 000 participants) : il prend `PRISES` tâches de la file de l'animation le temps de la
    mesure (transaction annulée, la base n'est pas modifiée)."""
    from django.db import transaction
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from parcours.core.models import User

    user = User.objects.get(username=username)
    resultats = []
    try:
        with transaction.atomic():
            file = Task.objects.filter(
                status=STATUS.NEW,
                owner__isnull=True,
                owner_permission="core.animer_plie",
                owner_permission_obj_pk=str(plie_id),
            )
            prises = list(file.order_by("pk").values_list("pk", flat=True)[:PRISES])
            Task.objects.filter(pk__in=prises).update(owner=user, status=STATUS.ASSIGNED)
            resultats = mesurer(username)
            raise _Annulee
    except _Annulee:
        pass
    return resultats
