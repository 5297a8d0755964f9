"""Les lectures et écritures ensemblistes d'un import d'heures : chaque requête joint toutes les
lignes du fichier, passées en tableaux (`unnest`, `= ANY`), à la base. Le nombre de requêtes ne
dépend pas du nombre de lignes et le coût reste linéaire (un `OR` de 20 000 conditions était
quadratique : 137 s pour 20 000 lignes, issue 11).

Les lectures (contrôle, verrouillage) passent leurs clés et leurs mois en un seul texte séparé
par des virgules (`_texte`, `string_to_array`) : psycopg cite chaque élément d'une liste en
Python, ce qui coûtait la moitié de la lecture des lignes existantes de 20 000 lignes
(120 → 80 ms).

Le SQL est écrit en toutes lettres (tables et colonnes des modèles, vérifiées par les tests de
l'import) ; les valeurs passent toujours en paramètres."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection


@dataclass
class Existante:
    """Une ligne d'heures déjà en base (clé : marché, personne, mois)."""

    pk: int
    marche_id: int
    type: str  # "participant" ou "externe"
    personne_id: int
    mois: datetime.date
    heures: Decimal
    siret: str

    @property
    def cle(self) -> tuple:
        return (self.marche_id, self.type, self.personne_id, self.mois)


def _lignes(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _texte(valeurs) -> str:
    """Des entiers ou des dates, en un texte que `string_to_array(%s, ',')` redécoupe (des
    nombres et des dates ISO : jamais de virgule dedans)."""
    return ",".join(v.isoformat() if isinstance(v, datetime.date) else str(int(v)) for v in valeurs)


def personnes_connues(plie_id: int, participants, externes) -> set[tuple[str, int]]:
    """(type, clé) des personnes connues dans ce PLIE : un participant qui y a un parcours, un
    candidat externe du PLIE. Une requête."""
    sql = """
        SELECT 'participant', u.pk FROM unnest(string_to_array(%s, ',')::bigint[]) AS u(pk)
        WHERE EXISTS (
            SELECT 1 FROM accompagnement_parcours pa
            WHERE pa.participant_id = u.pk AND pa.plie_id = %s
        )
        UNION ALL
        SELECT 'externe', e.id FROM unnest(string_to_array(%s, ',')::bigint[]) AS u(pk)
        JOIN clauses_candidatexterne e ON e.id = u.pk AND e.plie_id = %s
    """
    params = [_texte(sorted(participants)), plie_id, _texte(sorted(externes)), plie_id]
    lignes = _lignes(sql, params)
    return {(type_, pk) for type_, pk in lignes}


def heures_existantes(cles) -> list[Existante]:
    """Les heures en base, tous marchés, de chaque (type, personne, mois) de `cles` : pour le
    plafond mensuel et pour savoir quelles lignes un import remplace. Une requête.

    Lues par les index des personnes (`personne = ANY(…) AND mois = ANY(…)`), puis gardées si
    leur clé est dans `cles` : le coût suit le fichier, pas l'histoire de la table. Une jointure
    sur les paires (personne, mois) faisait hacher toute la table des heures, deux fois :
    16–20 ms pour 2 000 clés sur 22 000 lignes, contre 2 ms ainsi (docs/PERFORMANCE.md)."""
    cles = set(cles)
    par_type = {"participant": (set(), set()), "externe": (set(), set())}
    for type_, pk, mois in cles:
        par_type[type_][0].add(pk)
        par_type[type_][1].add(mois)
    sql = """
        SELECT h.id, h.marche_id, h.participant_id, h.candidat_externe_id, h.mois, h.heures,
            h.siret
        FROM clauses_heuresrealisees h
        WHERE h.participant_id = ANY(string_to_array(%s, ',')::bigint[])
            AND h.mois = ANY(string_to_array(%s, ',')::date[])
        UNION ALL
        SELECT h.id, h.marche_id, h.participant_id, h.candidat_externe_id, h.mois, h.heures,
            h.siret
        FROM clauses_heuresrealisees h
        WHERE h.candidat_externe_id = ANY(string_to_array(%s, ',')::bigint[])
            AND h.mois = ANY(string_to_array(%s, ',')::date[])
    """
    params = [_texte(sorted(valeurs)) for type_ in par_type.values() for valeurs in type_]
    existantes = (
        Existante(
            pk,
            marche_id,
            "participant" if participant_id else "externe",
            participant_id or externe_id,
            mois,
            heures,
            siret,
        )
        for pk, marche_id, participant_id, externe_id, mois, heures, siret in _lignes(sql, params)
    )
    # Une personne du fichier peut avoir des heures d'un autre de ses mois : pas demandées.
    return [e for e in existantes if (e.type, e.personne_id, e.mois) in cles]


def verrouiller(pks) -> dict[int, tuple[Decimal, str]]:
    """Verrouille les lignes qu'on va remplacer (dans l'ordre des clés : deux imports ne
    s'attendent pas l'un l'autre en croix) et rend leurs valeurs actuelles. Une requête."""
    sql = (
        "SELECT id, heures, siret FROM clauses_heuresrealisees "
        "WHERE id = ANY(string_to_array(%s, ',')::bigint[]) "
        "ORDER BY id FOR UPDATE"
    )
    return {pk: (heures, siret) for pk, heures, siret in _lignes(sql, [_texte(sorted(pks))])}


def inserer_heures(nouvelles: list[dict], commun: dict) -> dict[tuple, int]:
    """Crée les lignes `nouvelles` (marche_id, type, personne_id, mois, heures, siret,
    entreprise_id) en une requête ; rend clé → id. Une clé déjà prise (un autre import vient de
    l'écrire) lève IntegrityError."""
    if not nouvelles:
        return {}
    colonnes = ("marche_id", "participant_id", "externe_id", "mois", "heures", "siret", "ent_id")
    tableaux = {c: [] for c in colonnes}
    for n in nouvelles:
        tableaux["marche_id"].append(n["marche_id"])
        tableaux["participant_id"].append(n["personne_id"] if n["type"] == "participant" else None)
        tableaux["externe_id"].append(n["personne_id"] if n["type"] == "externe" else None)
        tableaux["mois"].append(n["mois"])
        tableaux["heures"].append(n["heures"])
        tableaux["siret"].append(n["siret"])
        tableaux["ent_id"].append(n["entreprise_id"])
    sql = """
        INSERT INTO clauses_heuresrealisees (marche_id, participant_id, candidat_externe_id, mois,
            heures, siret, entreprise_id, source, created_by_id, created_at, updated_at)
        SELECT u.marche_id, u.participant_id, u.externe_id, u.mois, u.heures, u.siret, u.ent_id,
            %s, %s, %s, %s
        FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::date[], %s::numeric[],
            %s::text[], %s::bigint[])
            AS u(marche_id, participant_id, externe_id, mois, heures, siret, ent_id)
        RETURNING id, marche_id, participant_id, candidat_externe_id, mois
    """
    params = [commun["source"], commun["par_id"], commun["at"], commun["at"]]
    params += [tableaux[c] for c in colonnes]
    return {
        (marche_id, "participant" if p else "externe", p or e, mois): pk
        for pk, marche_id, p, e, mois in _lignes(sql, params)
    }


def remplacer_heures(changees: list[dict], commun: dict) -> None:
    """Remplace heures, SIRET et entreprise des lignes `changees` (pk, heures, siret,
    entreprise_id) ; « enregistrées par / le » passent à qui fournit la valeur. Une requête."""
    if not changees:
        return
    sql = """
        UPDATE clauses_heuresrealisees h
        SET heures = u.heures, siret = u.siret, entreprise_id = u.ent_id,
            source = %s, created_by_id = %s, created_at = %s, updated_at = %s
        FROM unnest(%s::bigint[], %s::numeric[], %s::text[], %s::bigint[])
            AS u(id, heures, siret, ent_id)
        WHERE h.id = u.id
    """
    params = [commun["source"], commun["par_id"], commun["at"], commun["at"]]
    params += [[c[k] for c in changees] for k in ("pk", "heures", "siret", "entreprise_id")]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def journaliser(entrees: list[dict], commun: dict) -> None:
    """Une entrée de `JournalHeures` par valeur nouvelle ou changée (ligne, ancien, nouveau,
    ancien_siret, nouveau_siret). Une requête."""
    if not entrees:
        return
    cles = ("ligne_id", "ancien", "nouveau", "ancien_siret", "nouveau_siret")
    sql = """
        INSERT INTO clauses_journalheures (ligne_id, ancien, nouveau, ancien_siret, nouveau_siret,
            source, fichier, par_id, at)
        SELECT u.ligne_id, u.ancien, u.nouveau, u.ancien_siret, u.nouveau_siret, %s, %s, %s, %s
        FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[], %s::text[], %s::text[])
            AS u(ligne_id, ancien, nouveau, ancien_siret, nouveau_siret)
    """
    params = [commun["source"], commun["fichier"], commun["par_id"], commun["at"]]
    params += [[e[k] for e in entrees] for k in cles]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
