"""Publics et équité (000:L570) : personnes distinctes, heures et part des heures par public
(femmes, moins de 26 ans au mois des heures, RSA, QPV, RQTH, participants, candidats externes),
pour le périmètre et par donneur d'ordre."""

from django.db import connection
from django.db.models import F

from parcours.accompagnement.models import Parcours, Prescription, StatutDeclare
from parcours.clauses.exports import taux
from parcours.clauses.rapports.periode import SANS_BORNE, Periode, heures_du_perimetre
from parcours.participants.enums import StatutSocial
from parcours.participants.normalisation import normaliser

PUBLICS = (
    ("toutes", "Toutes les personnes"),
    ("femme", "Femmes"),
    ("jeune", "Moins de 26 ans"),
    ("rsa", "Allocataires du RSA"),
    ("qpv", "Résidents d'un QPV"),
    ("rqth", "Travailleurs handicapés (RQTH)"),
    ("participant", "Participants du PLIE"),
    ("externe", "Candidats externes"),
)

# Le public d'une ligne d'heures `h`, jointe à sa personne (`p` participant, `e` candidat
# externe) et aux statuts déclarés du participant dans le PLIE du marché (`s`, une ligne par
# participant et PLIE). Moins de 26 ans : au mois des heures.
DRAPEAUX = {
    "toutes": "TRUE",
    "femme": "p.sexe = 'F' OR e.sexe = 'F'",
    "jeune": "p.date_naissance > h.mois - interval '26 years' "
    "OR e.date_naissance > h.mois - interval '26 years'",
    "rsa": "e.rsa OR s.rsa",
    "qpv": "e.qpv OR s.qpv",
    "rqth": "e.rqth OR s.rqth",
    "participant": "h.participant_id IS NOT NULL",
    "externe": "h.candidat_externe_id IS NOT NULL",
}


def _requete(marches, periode: Periode, par_donneur: bool) -> tuple[str, list]:
    """Une requête : les heures du périmètre (`h`), les statuts déclarés calculés une fois par
    participant et PLIE (`s`, groupés), puis une jointure et les agrégats de chaque public —
    plus aucun EXISTS corrélé par ligne d'heures (issue 11)."""
    heures = (
        heures_du_perimetre(marches, periode)
        .values(
            "heures",
            "participant_id",
            "candidat_externe_id",
            "mois",
            plie=F("marche__plie_id"),
            donneur=F("marche__operation__donneur_ordre_id"),
            donneur_nom=F("marche__operation__donneur_ordre__nom"),
        )
        .order_by()
    )
    sql_heures, params_heures = heures.query.sql_with_params()
    # Les statuts déclarés des seules personnes qui ont des heures, depuis ces personnes (par
    # la clé de la personne, puis les clés uniques de la prescription) : une semi-jointure de
    # l'ORM partait des parcours de tout le PLIE, en plan parallèle (docs/PERFORMANCE.md).
    rsa = ", ".join(f"'{code.value}'" for code in (StatutSocial.RSA, StatutSocial.RSA_MAJORE))
    sql_statuts = f"""
        SELECT pc.participant_id AS participant, pc.plie_id AS plie,
               BOOL_OR(sd.code IN ({rsa})) AS rsa,
               BOOL_OR(sd.code = '{StatutSocial.QPV.value}') AS qpv,
               BOOL_OR(sd.code = '{StatutSocial.RQTH.value}') AS rqth
        FROM (SELECT DISTINCT participant_id, plie FROM h WHERE participant_id IS NOT NULL) hp
        JOIN {Parcours._meta.db_table} pc
          ON pc.participant_id = hp.participant_id AND pc.plie_id = hp.plie
        JOIN {Prescription._meta.db_table} pr ON pr.parcours_id = pc.id
        JOIN {StatutDeclare._meta.db_table} sd ON sd.prescription_id = pr.id
        GROUP BY pc.participant_id, pc.plie_id
    """  # noqa: S608 (noms de tables et codes : des constantes du code)
    agregats = []
    for code, _libelle in PUBLICS:
        filtre = f"FILTER (WHERE {DRAPEAUX[code]})"
        agregats += [
            f"COALESCE(SUM(h.heures) {filtre}, 0) AS {code}_heures",
            f"COUNT(DISTINCT h.participant_id) {filtre} AS {code}_participants",
            f"COUNT(DISTINCT h.candidat_externe_id) {filtre} AS {code}_externes",
        ]
    groupe = ("h.donneur", "h.donneur_nom") if par_donneur else ()
    sql = f"""
        WITH h AS ({sql_heures}), s AS ({sql_statuts})
        SELECT {", ".join((*groupe, *agregats))}
        FROM h
        LEFT JOIN participants_participant p ON p.id = h.participant_id
        LEFT JOIN clauses_candidatexterne e ON e.id = h.candidat_externe_id
        LEFT JOIN s ON s.participant = h.participant_id AND s.plie = h.plie
        {"GROUP BY " + ", ".join(groupe) if groupe else ""}
    """  # noqa: S608 (des sous-requêtes de l'ORM et des constantes ; valeurs en paramètres)
    return sql, params_heures


def _executer(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        noms = [colonne.name for colonne in cursor.description]
        return [dict(zip(noms, ligne, strict=True)) for ligne in cursor.fetchall()]


def publics(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Par public : personnes distinctes, heures et part des heures. Une requête."""
    return _lignes_publics(_executer(*_requete(marches, periode, par_donneur=False))[0])


def publics_par_donneur(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Les publics de chaque donneur d'ordre (une ligne par donneur ayant des heures). Une
    requête groupée."""
    lignes = [
        {"pk": g["donneur"], "nom": g["donneur_nom"], "publics": _lignes_publics(g)}
        for g in _executer(*_requete(marches, periode, par_donneur=True))
    ]
    return sorted(lignes, key=lambda ligne: normaliser(ligne["nom"]))


def _lignes_publics(resultat: dict) -> list[dict]:
    total = resultat["toutes_heures"]
    lignes = []
    for code, libelle in PUBLICS:
        heures = resultat[f"{code}_heures"]
        lignes.append(
            {
                "code": code,
                "libelle": libelle,
                "personnes": resultat[f"{code}_participants"] + resultat[f"{code}_externes"],
                "heures": heures,
                "part": taux(heures, total),
            }
        )
    return lignes
