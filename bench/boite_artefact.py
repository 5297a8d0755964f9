"""Piste c de la boîte restreinte (issue 11, docs/PERFORMANCE.md) : le dossier recopié sur la tâche.

`python -m bench.boite_artefact` (sur une copie du banc) mesure, pour le référent et l'animateur
du premier PLIE, `Task.objects.inbox` de viewflow, « Mes tâches » (`workflows.access.
mes_taches`) et deux variantes où la tâche porte son dossier :
- c1 : les colonnes `artifact_*` de `viewflow_task` (vides aujourd'hui) recopiées du processus ;
  le dossier est sondé par cette clé, sans passer par le processus (intérim compris) ;
- c2 : c1, plus le PLIE du dossier sur la tâche (colonne temporaire) : la candidature est sondée
  sans ses jointures besoin → marché.
Tout se fait dans une transaction annulée (remplissage, colonne, statistiques) : la base n'est
pas modifiée. Même mesure que bench/boite.py : minimum de `PASSAGES` EXPLAIN ANALYZE
(planification + exécution), les variantes en alternance, `TOURS` tours.
"""

import json
import sys

from bench import boite

TOURS = 3
# Les jointures de la candidature (`positionnements_visibles`) dans le SQL de c1, et ce qui les
# remplace quand le PLIE est sur la tâche.
JOINTS = (
    'FROM "clauses_positionnement" V0 INNER JOIN "clauses_besoin" V1 ON (V0."besoin_id" = V1."id")'
    ' INNER JOIN "clauses_marche" V2 ON (V1."marche_id" = V2."id")'
)
SANS_JOINTS = 'FROM "clauses_positionnement" V0'
PLIE_DU_MARCHE = 'V2."plie_id"'
PLIE_DE_LA_TACHE = '"viewflow_task"."bench_plie_id"'


class _Annulee(Exception):
    pass


def _preparer(curseur):
    """Recopie le dossier du processus sur ses tâches et ajoute le PLIE de ce dossier."""
    # ALTER TABLE refuse une table aux contrôles de clés différés en attente (une tâche créée
    # plus tôt dans la transaction) : ils sont faits tout de suite, puis différés de nouveau.
    curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    curseur.execute("ALTER TABLE viewflow_task ADD COLUMN bench_plie_id integer")
    curseur.execute(
        "UPDATE viewflow_task t SET artifact_content_type_id = p.artifact_content_type_id,"
        " artifact_object_id = p.artifact_object_id"
        " FROM viewflow_process p WHERE t.process_id = p.id"
    )
    curseur.execute(
        "UPDATE viewflow_task t SET bench_plie_id = d.plie_id FROM accompagnement_parcours d"
        " WHERE t.artifact_content_type_id = %s AND d.id = t.artifact_object_id",
        [_type("accompagnement", "parcours")],
    )
    curseur.execute(
        "UPDATE viewflow_task t SET bench_plie_id = m.plie_id FROM clauses_positionnement c"
        " JOIN clauses_besoin b ON b.id = c.besoin_id JOIN clauses_marche m ON m.id = b.marche_id"
        " WHERE t.artifact_content_type_id = %s AND c.id = t.artifact_object_id",
        [_type("clauses", "positionnement")],
    )
    curseur.execute("SET CONSTRAINTS ALL DEFERRED")
    curseur.execute("ANALYZE viewflow_task")


def _type(app, modele):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_by_natural_key(app, modele).pk


def artefact_sur_la_tache(user):
    """« Mes tâches » de c1 : les mêmes prédicats (`parcours.acces`), sondés par le dossier de la
    tâche (`artifact_*`) au lieu de celui de son processus."""
    from django.db.models import Exists, OuterRef, Q
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from parcours import acces
    from parcours.accompagnement.models import Delegation, Parcours
    from parcours.clauses.models import Positionnement
    from workflows.access import _proprietaires

    objet = {"pk": OuterRef("artifact_object_id")}
    parcours = Parcours.objects.filter(acces.filtre_parcours_visible_par_ligne(user), **objet)
    candidature = acces.positionnements_visibles(user, Positionnement.objects.filter(**objet))
    type_parcours = _type("accompagnement", "parcours")
    delegations = Delegation.objects.actives().filter(
        suppleant_id=user.pk, titulaire_id=OuterRef("owner_id")
    )
    interim = Q(
        artifact_content_type_id=type_parcours,
        artifact_object_id__in=delegations.values("parcours_couverts"),
    )
    dossier = (Q(artifact_content_type_id=type_parcours) & Q(Exists(parcours))) | (
        Q(artifact_content_type_id=_type("clauses", "positionnement")) & Q(Exists(candidature))
    )
    return Task.objects.filter(
        _proprietaires(user), Q(owner_id=user.pk) | interim, dossier, status=STATUS.ASSIGNED
    )


def _sql(queryset) -> str:
    from django.db import connection

    sql, params = queryset.order_by("-created", "-id")[: boite.PREMIERES].query.sql_with_params()
    with connection.cursor() as curseur:
        return curseur.mogrify(sql, params)


def variantes(user) -> dict[str, str]:
    from viewflow.workflow.models import Task

    from workflows import access
    from workflows.accueil.boites import tous_les_types

    flux = {noeud.flow_class for _, noeud in tous_les_types().values()}
    c1 = _sql(artefact_sur_la_tache(user))
    c2 = c1.replace(JOINTS, SANS_JOINTS).replace(PLIE_DU_MARCHE, PLIE_DE_LA_TACHE)
    if JOINTS in c2 or PLIE_DU_MARCHE in c2:
        raise RuntimeError("le SQL de la candidature a changé : mettre JOINTS à jour")
    return {
        boite.VIEWFLOW: _sql(Task.objects.inbox(flux, user)),
        boite.RESTREINTE: _sql(access.mes_taches(user)),
        "c1 dossier sur la tâche": c1,
        "c2 c1 + PLIE sur la tâche": c2,
    }


def _meilleur(curseur, sql) -> tuple[float, float, float, list]:
    meilleur = None
    for _ in range(boite.PASSAGES):
        curseur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        (plan,) = curseur.fetchone()
        plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
        mesure = (plan["Planning Time"] + plan["Execution Time"], plan["Planning Time"])
        meilleur = mesure if meilleur is None or mesure < meilleur else meilleur
    curseur.execute(sql)
    return (*meilleur, [ligne[0] for ligne in curseur.fetchall()])


def mesurer(usernames, tours=TOURS, plie_id=None) -> dict:
    """{compte: {variante: (total, planification, lignes)}}, le meilleur des tours ; le compte de
    pilotage (le dernier, si `plie_id`) prend `boite.PRISES` tâches de la file le temps de la
    mesure, comme dans bench/boite.py."""
    from django.db import connection, transaction

    from parcours.core.models import User

    resultats = {}
    try:
        with transaction.atomic(), connection.cursor() as curseur:
            _preparer(curseur)
            for nom in usernames:
                user = User.objects.get(username=nom)
                if plie_id is not None and nom == usernames[-1]:
                    _prendre_la_file(user, plie_id)
                requetes = variantes(user)
                par_variante = resultats.setdefault(nom, {})
                for _ in range(tours):
                    for libelle, sql in requetes.items():
                        mesure = _meilleur(curseur, sql)
                        ancien = par_variante.get(libelle)
                        par_variante[libelle] = min(ancien, mesure) if ancien else mesure
            raise _Annulee
    except _Annulee:
        pass
    return resultats


def _prendre_la_file(user, plie_id):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    file = Task.objects.filter(
        status=STATUS.NEW,
        owner__isnull=True,
        owner_permission="core.animer_plie",
        owner_permission_obj_pk=str(plie_id),
    )
    prises = list(file.order_by("pk").values_list("pk", flat=True)[: boite.PRISES])
    Task.objects.filter(pk__in=prises).update(owner=user, status=STATUS.ASSIGNED)


def main():
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.mesure import PLIE
    from parcours.core.models import PLIE as Plie

    comptes = [f"{boite.COMPTE}.{PLIE}", f"{boite.PILOTAGE}.{PLIE}"]
    tours = int(sys.argv[1]) if len(sys.argv) > 1 else TOURS
    resultats = mesurer(comptes, tours, Plie.objects.get(code=PLIE).pk)
    for compte, par_variante in resultats.items():
        viewflow = par_variante[boite.VIEWFLOW][0]
        print(compte)
        for libelle, (total, planification, lignes) in par_variante.items():
            print(
                f"  {libelle:32s} {planification:5.2f} + {total - planification:5.2f}"
                f" = {total:5.2f} ms  ×{total / viewflow:.2f}  ({len(lignes)} lignes)"
            )


if __name__ == "__main__":
    main()
