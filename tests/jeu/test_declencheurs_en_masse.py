"""Les déclencheurs par instruction (tables de transition `anciens`/`nouveaux`) restent linéaires
pour une écriture en masse, celle de `generer_jeu` comprise (docs/PERFORMANCE.md, 7 décembre 2026).

PL/pgSQL garde le plan d'une requête sans paramètre dès son premier appel : une jointure des
deux tables de transition planifiée sur une modification d'une ligne (boucle imbriquée) resservait
pour 93 600 parcours et bloquait le générateur plus d'une heure. Ces jointures passent donc par
`EXECUTE` (planifiées à chaque appel) ; on le vérifie sur le catalogue, et que le résultat reste
celui de la définition après une petite puis une grande modification dans la même session."""

import datetime
import re

import pytest
from django.db import connection
from viewflow.workflow.models import Process

from parcours.accompagnement.enums import Statut
from parcours.accompagnement.models import Parcours
from parcours.dossier.alertes import TypeAlerte
from tests.factories import parcours_en
from workflows.alertes.flows import AlerteFlow

pytestmark = pytest.mark.django_db

UN_AN = datetime.timedelta(days=365)


def derniers() -> set[int]:
    return set(Parcours.objects.filter(dernier_du_plie=True).values_list("pk", flat=True))


def _hors_chaines(source: str) -> str:
    """Le source PL/pgSQL sans ses chaînes entre apostrophes (le SQL des `EXECUTE`)."""
    return re.sub(r"'(?:[^']|'')*'", "''", source)


def test_aucune_jointure_des_tables_de_transition_n_est_planifiee_une_fois_pour_toutes():
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT t.tgname, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE t.tgoldtable IS NOT NULL AND t.tgnewtable IS NOT NULL"
        )
        declencheurs = curseur.fetchall()
    noms = {nom for nom, _ in declencheurs}
    assert {
        "parcours_derniers_changes",
        "parcours_alertes_changees",
        "participants_trigrammes_changes",
        "parcours_trigrammes_deplaces",
        "participants_noms_de_tri_changes",
    } <= noms
    for nom, source in declencheurs:
        statique = _hors_chaines(source)
        assert not ("anciens" in statique and "nouveaux" in statique), nom


# Fonctions SQL à listes, mises en ligne dans la requête `EXECUTE` qui les appelle (les listes y
# sont des constantes) : jamais appelées en dehors.
FONCTIONS_SQL_A_LISTES = {"parcours_derniers_de"}


def test_les_listes_passees_aux_fonctions_sont_lues_par_execute():
    """Une fonction PL/pgSQL qui reçoit une liste (personnes, parcours) la lit dans des requêtes
    `EXECUTE … USING`, planifiées avec la liste du moment : une requête statique garderait après
    quelques appels un plan générique qui cherche chaque ligne dans la liste (plus de sept
    minutes pour 5 000 parcours créés d'un coup, accompagnement 0019)."""
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT p.proname, l.lanname, p.prosrc FROM pg_proc p"
            " JOIN pg_language l ON l.oid = p.prolang"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public' AND l.lanname IN ('plpgsql', 'sql') AND EXISTS ("
            "   SELECT 1 FROM unnest(p.proargtypes) AS t(oid)"
            "   JOIN pg_type ty ON ty.oid = t.oid WHERE ty.typcategory = 'A')"
        )
        fonctions = curseur.fetchall()
        curseur.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public' AND l.lanname = 'plpgsql'"
        )
        plpgsql = curseur.fetchall()
    par_langage = {nom: langage for nom, langage, _ in fonctions}
    assert {
        "parcours_derniers_recalcules",
        "parcours_noms_de_tri_verifies",
        "participants_trigrammes_recales",
        "parcours_trigrammes_verifies",
        "alertes_replacees",
    } <= {nom for nom, langage in par_langage.items() if langage == "plpgsql"}
    assert {nom for nom, langage in par_langage.items() if langage == "sql"} == (
        FONCTIONS_SQL_A_LISTES
    )
    for nom, langage, source in fonctions:
        if langage == "plpgsql":
            statique = _hors_chaines(source).lower()
            assert "any(" not in statique and "unnest(" not in statique, nom
    for nom, source in plpgsql:
        statique = _hors_chaines(source).lower()
        assert not any(f"{f}(" in statique for f in FONCTIONS_SQL_A_LISTES), nom


def test_modification_en_masse_apres_une_modification_d_une_ligne(monde):
    """Même session : une ligne (le plan des requêtes statiques serait gardé), puis toutes ;
    marqueur « dernier parcours » et PLIE des alertes restent ceux de la définition."""
    premiers = [parcours_en(monde, Statut.IRRECEVABLE) for _ in range(6)]
    alertes = [
        Process.objects.create(flow_class=AlerteFlow, artifact=p, data={"type": t.value})
        for p, t in zip(premiers, TypeAlerte, strict=False)
    ]
    # Une réentrée par personne, prescrite le même jour : la plus récente des deux.
    reentrees = {
        parcours_en(monde, Statut.PRESCRIT, participant=p.participant).pk for p in premiers
    }
    assert derniers() == reentrees
    ids = {p.pk for p in premiers}
    Parcours.objects.filter(pk=premiers[0].pk).update(updated_at=premiers[0].updated_at)
    # En masse : les réentrées antidatées, puis tous les parcours changent de PLIE.
    Parcours.objects.filter(pk__in=reentrees).update(
        date_prescription=premiers[0].date_prescription - UN_AN
    )
    assert derniers() == ids
    Parcours.objects.all().update(plie=monde.plie2)
    assert derniers() == ids
    for alerte in alertes:
        alerte.refresh_from_db()
        assert alerte.data["plie"] == monde.plie2.pk
