"""Clonage en SQL d'un gabarit : une requête `INSERT … SELECT … generate_series` par table.

Les noms de tables et de colonnes viennent des modèles Django (noqa: S608), jamais d'une saisie.

Chaque copie `k` d'une ligne reçoit `id + k × décalage(table)`, où le décalage est le plus grand
identifiant du gabarit : les copies ne se chevauchent pas. Les clés étrangères (et les
références génériques de viewflow et de guardian, et les identifiants rangés dans `data` des
processus) vers une table clonée suivent le même calcul ; les autres restent telles quelles.
"""

from demo.jeu.schema import GENERIQUES, Table

# Identifiants rangés dans `viewflow_process.data` : clé -> table visée.
DONNEES_PROCESSUS = {
    "suspension": "accompagnement_suspension",
    "contrat": "emploi_contrat",
    "entretien": "accompagnement_entretien",
}


def q(nom: str) -> str:
    return '"' + nom.replace('"', '""') + '"'


def decalages(cursor, tables: dict[str, Table], noms) -> dict[str, int]:
    """Plus grand identifiant de chaque table non vide."""
    resultat = {}
    for nom in noms:
        table = tables[nom]
        cursor.execute(f"SELECT max({q(table.pk)}) FROM {q(nom)}")  # noqa: S608
        maximum = cursor.fetchone()[0]
        if maximum:
            resultat[nom] = int(maximum)
    return resultat


def _decale(colonne: str, decalage: str | None) -> str:
    return colonne if decalage is None else f"({colonne} + {decalage})"


def expressions(table: Table, deplacement, types: dict[int, str], textes: dict[str, str]):
    """Les expressions SELECT de chaque colonne de la copie.

    `deplacement(table_visee)` : expression SQL à ajouter à un identifiant de cette table, ou
    None si la table n'est pas clonée à ce niveau. `textes` : colonne -> expression imposée.
    """
    generiques = {objet: type_colonne for type_colonne, objet in GENERIQUES.get(table.nom, [])}
    resultat = []
    for colonne in table.colonnes:
        col = "t." + q(colonne)
        if colonne in textes:
            resultat.append(textes[colonne])
        elif colonne == table.pk:
            resultat.append(_decale(col, deplacement(table.nom)))
        elif colonne in table.fks:
            resultat.append(_decale(col, deplacement(table.fks[colonne])))
        elif colonne in generiques:
            resultat.append(
                _generique(col, table, colonne, generiques[colonne], deplacement, types)
            )
        elif table.nom == "viewflow_process" and colonne == "data":
            resultat.append(_donnees(col, deplacement))
        else:
            resultat.append(col)
    return resultat


def _generique(col, table, colonne, type_colonne, deplacement, types):
    cas = []
    texte = colonne in table.textes
    for ct, cible in sorted(types.items()):
        decalage = deplacement(cible)
        if decalage is None:
            continue
        valeur = f"({col}::bigint + {decalage})"
        cas.append(f"WHEN {ct} THEN {valeur}::text" if texte else f"WHEN {ct} THEN {valeur}")
    if not cas:
        return col
    return f"CASE t.{q(type_colonne)} {' '.join(cas)} ELSE {col} END"


def _donnees(col, deplacement):
    expression = col
    for cle, cible in DONNEES_PROCESSUS.items():
        decalage = deplacement(cible)
        if decalage is None:
            continue
        expression = (
            f"CASE WHEN jsonb_typeof({col}->'{cle}') = 'number' THEN jsonb_set({expression}, "
            f"'{{{cle}}}', to_jsonb(({col}->>'{cle}')::bigint + {decalage})) ELSE {expression} END"
        )
    return expression


def cloner_table(
    cursor,
    table: Table,
    premiere: int,
    derniere: int,
    deplacement,
    types,
    textes=None,
    filtre: str = "",
) -> int:
    """Copies `premiere`..`derniere` (variable SQL `k`) ; renvoie le nombre de lignes."""
    if derniere < premiere:
        return 0
    colonnes = ", ".join(q(c) for c in table.colonnes)
    select = ", ".join(expressions(table, deplacement, types, textes or {}))
    cursor.execute(
        f"INSERT INTO {q(table.nom)} ({colonnes}) SELECT {select} FROM {q(table.nom)} t "  # noqa: S608
        f"CROSS JOIN generate_series({premiere}, {derniere}) AS k {filtre}"
    )
    return cursor.rowcount


def recaler_sequences(cursor, tables: dict[str, Table]) -> None:
    """Après des insertions à identifiants explicites, les séquences repartent après le maximum."""
    for table in tables.values():
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [q(table.nom), table.pk])
        sequence = cursor.fetchone()[0]
        if sequence:
            cursor.execute(
                f"SELECT setval(%s, GREATEST(COALESCE(max({q(table.pk)}), 0), 1), "  # noqa: S608
                f"max({q(table.pk)}) IS NOT NULL) FROM {q(table.nom)}",
                [sequence],
            )
