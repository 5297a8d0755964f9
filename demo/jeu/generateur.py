"""Le jeu national : gabarit (démo par les services), puis trois niveaux de copies en SQL.

1. équipes : les comptes (et adhésions) de chaque PLIE copiés `equipes` fois, les structures
   `copies_structures` fois ;
2. dossiers : tout ce qui descend d'un participant copié `copies_dossiers` fois dans son PLIE ;
   la copie k est suivie par l'équipe k mod `equipes` (référent, prescripteur, tâches) ;
3. PLIE : tout le domaine copié `copies_plie` fois (codes, noms et identifiants suffixés).
Un seul hachage de mot de passe pour tous les comptes ; séquences recalées ; VACUUM ANALYZE.
"""

import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from demo.donnees import DEMO_PASSWORD
from demo.jeu import controles, gabarit
from demo.jeu.clonage import cloner_table, decalages, q, recaler_sequences
from demo.jeu.echelle import Echelle
from demo.jeu.schema import (
    EQUIPE,
    tables,
    tables_de_dossier,
    tables_du_domaine,
    types_de_contenu,
)

# Rattachées à un dossier mais propres à l'équipe du gabarit (l'intérim de referent à referent2).
EXCLUES_DES_DOSSIERS = {"accompagnement_delegation_parcours_couverts"}


def generer(
    echelle: Echelle, *, vider: bool = False, graine: int = 0, ecrire=print
) -> dict[str, int]:
    controles.verifier(echelle, vider_avant=vider, ecrire=ecrire)
    debut = time.monotonic()

    def etape(message):
        ecrire(f"[{time.monotonic() - debut:6.1f} s] {message}")

    with transaction.atomic():
        if vider:
            controles.vider()
            etape("base vidée")
        gabarit.charger_demo(echelle.dossiers_gabarit)
        etape("gabarit chargé par les services de la démo")
        etape(f"gabarit étoffé : {gabarit.etoffer()}")
    carte, types = tables(), types_de_contenu()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Les clés de Django sont différées ; les autres (clés composées) dictent l'ordre.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _ordre.immediates = _cles_immediates(cursor)
        _equipes(cursor, carte, types, echelle)
        etape("équipes copiées")
        _dossiers(cursor, carte, types, echelle, graine)
        etape("dossiers copiés")
        _plie(cursor, carte, types, echelle)
        etape("PLIE copiés")
        cursor.execute("UPDATE core_user SET password = %s", [make_password(DEMO_PASSWORD)])
        recaler_sequences(cursor, carte)
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:
            # Les index lus seuls (carte de visibilité), comme après l'autovacuum d'une vraie
            # base : les tables viennent d'être écrites d'un bloc (trigrammes par déclencheurs,
            # parcours, tâches). Sans lui, le banc mesurait un état de quelques minutes : la
            # recherche approchée relisait 8 800 pages de trigrammes (×2,1 au lieu de ×1,4).
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
    etape("séquences recalées, statistiques à jour")
    return comptes()


def _equipes(cursor, carte, types, echelle):
    off = decalages(cursor, carte, sorted(EQUIPE))
    u, s = off.get("core_user"), off.get("core_structure")
    eq, cs = echelle.equipes, echelle.copies_structures

    def deplacement(cible):
        if cible == "core_user":
            return f"k * {u}"
        if cible == "core_structure":
            return f"(k % {cs}) * {s}"
        if cible in off and cible in EQUIPE:
            return f"k * {off[cible]}"
        return None

    cloner_table(
        cursor,
        carte["core_structure"],
        1,
        cs - 1,
        lambda c: f"k * {s}" if c == "core_structure" else None,
        types,
        {"nom": "t.nom || ' ' || (k + 1)"},
    )
    textes = {
        "username": r"regexp_replace(t.username, '^([^.]*)', '\1-e' || k)",
        "email": r"regexp_replace(t.email, '@', '-e' || k || '@')",
    }
    cloner_table(cursor, carte["core_user"], 1, eq - 1, deplacement, types, textes)
    for nom in sorted(EQUIPE - {"core_user", "core_structure"}):
        if nom in off:
            cloner_table(cursor, carte[nom], 1, eq - 1, deplacement, types)
    _equipes.decalages = off


def _dossiers(cursor, carte, types, echelle, graine=0):
    noms = [n for n in tables_de_dossier(carte, types) if n not in EXCLUES_DES_DOSSIERS]
    off = decalages(cursor, carte, noms)
    equipe = _equipes.decalages
    eq, cs = echelle.equipes, echelle.copies_structures
    ct = {table: pk for pk, table in types.items()}

    def deplacement(cible):
        if cible in off:
            return f"k * {off[cible]}"
        if cible == "core_user" and eq > 1:
            return f"(k % {eq}) * {equipe['core_user']}"
        if cible == "core_structure" and cs > 1:
            return f"((k % {eq}) % {cs}) * {equipe['core_structure']}"
        if cible == "core_membership" and eq > 1 and "core_membership" in equipe:
            return f"(k % {eq}) * {equipe['core_membership']}"
        return None

    choisies = set()
    for nom in _ordre(noms, carte):
        if nom not in off:
            continue
        table = carte[nom]
        conditions = [
            f"t.{q(col)} IN (SELECT id FROM jeu_sel_{cible})"  # noqa: S608
            for col, cible in table.fks.items()
            if cible in choisies
            and cible != nom
            and (nom, col) != ("viewflow_process", "parent_task_id")
        ]
        if nom == "viewflow_process":
            conditions += [
                f"(t.artifact_content_type_id = {ct[cible]} AND t.artifact_object_id IN "  # noqa: S608
                f"(SELECT id FROM jeu_sel_{cible}))"
                for cible in ("accompagnement_parcours", "clauses_positionnement")
                if cible in choisies
            ]
        condition = " OR ".join(conditions) if conditions else "true"
        cursor.execute(
            f"CREATE TEMP TABLE jeu_sel_{nom} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {q(table.pk)} AS id FROM {q(nom)} t WHERE {condition}"
        )
        cursor.execute(f"ALTER TABLE jeu_sel_{nom} ADD PRIMARY KEY (id)")
        choisies.add(nom)
    # Les copies d'un dossier ne sont pas des homonymes parfaits : naissance décalée (graine).
    textes = {"date_naissance": f"t.date_naissance - ((k * 37 + {int(graine)}) % 300)"}
    for nom in _ordre(noms, carte):
        if nom in choisies:
            filtre = f"WHERE t.{q(carte[nom].pk)} IN (SELECT id FROM jeu_sel_{nom})"  # noqa: S608
            cloner_table(
                cursor,
                carte[nom],
                1,
                echelle.copies_dossiers - 1,
                deplacement,
                types,
                textes if nom == "participants_participant" else None,
                filtre,
            )


def _cles_immediates(cursor) -> dict[str, set[str]]:
    """Table -> tables visées par ses clés étrangères non différables (contrôlées à l'insertion)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
        "WHERE contype = 'f' AND NOT condeferrable AND conrelid <> confrelid"
    )
    resultat = {}
    for table, cible in cursor.fetchall():
        resultat.setdefault(table.strip('"'), set()).add(cible.strip('"'))
    return resultat


def _ordre(noms, carte):
    """Parents avant enfants (le processus vient après le parcours et le positionnement)."""
    restants, ordre = list(noms), []
    immediates = getattr(_ordre, "immediates", {})
    while restants:
        for nom in restants:
            parents = {c for c in carte[nom].fks.values() if c in restants and c != nom}
            parents |= {c for c in immediates.get(nom, ()) if c in restants}
            if nom == "viewflow_process":
                parents = {
                    c
                    for c in ("accompagnement_parcours", "clauses_positionnement")
                    if c in restants
                }
            if not parents:
                ordre.append(nom)
                restants.remove(nom)
                break
        else:
            raise RuntimeError(f"Cycle entre les tables de dossier : {restants}")
    return ordre


def _ordre_immediat(noms):
    """Ordre d'insertion qui respecte les seules clés non différables (les autres attendent)."""
    immediates = getattr(_ordre, "immediates", {})
    restants, ordre = list(noms), []
    while restants:
        suivant = next(
            (n for n in restants if not (immediates.get(n, set()) & set(restants))), restants[0]
        )
        ordre.append(suivant)
        restants.remove(suivant)
    return ordre


def _plie(cursor, carte, types, echelle):
    noms = tables_du_domaine(carte)
    off = decalages(cursor, carte, noms)

    def deplacement(cible):
        return f"k * {off[cible]}" if cible in off else None

    textes = {
        "core_plie": {"code": "t.code || '-' || k", "nom": "t.nom || ' ' || (k + 1)"},
        "core_user": {
            "username": "t.username || '-' || k",
            "email": r"regexp_replace(t.email, '@', '-' || k || '@')",
        },
    }
    for nom in _ordre_immediat(noms):
        if nom in off:
            cloner_table(
                cursor, carte[nom], 1, echelle.copies_plie - 1, deplacement, types, textes.get(nom)
            )


def comptes() -> dict[str, int]:
    noms = [
        "core_plie",
        "core_structure",
        "core_user",
        "core_membership",
        "participants_participant",
        "accompagnement_parcours",
        "accompagnement_etape",
        "accompagnement_entretien",
        "viewflow_process",
        "viewflow_task",
        "emploi_contrat",
        "commissions_sessioncommission",
        "commissions_inscriptionsession",
        "entreprises_entreprise",
        "entreprises_offreemploi",
        "clauses_marche",
        "clauses_besoin",
        "clauses_positionnement",
        "clauses_heuresrealisees",
    ]
    with connection.cursor() as cursor:
        resultat = {}
        for nom in noms:
            cursor.execute(f"SELECT count(*) FROM {q(nom)}")  # noqa: S608
            resultat[nom] = cursor.fetchone()[0]
        return resultat
