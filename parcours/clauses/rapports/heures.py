"""Heures prévues et réalisées, taux de réalisation et personnes : par marché, par opération,
par donneur d'ordre, par entreprise attributaire, et au total."""

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from parcours.clauses.exports import taux
from parcours.clauses.rapports.periode import SANS_BORNE, ZERO, Periode, heures_du_perimetre
from parcours.participants.normalisation import normaliser


def _personnes() -> dict:
    """Personnes distinctes : participants et candidats externes comptés séparément."""
    return {
        "participants": Count("participant", distinct=True),
        "externes": Count("candidat_externe", distinct=True),
    }


def _somme_personnes(ligne: dict) -> int:
    return (ligne.get("participants") or 0) + (ligne.get("externes") or 0)


def par_marche(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Une ligne par marché : prévu, réalisé, taux, personnes. Une requête."""
    filtre = Q(heures__isnull=False) & periode.filtre("heures__mois")
    lignes = (
        marches.annotate(
            realisees=Coalesce(Sum("heures__heures", filter=filtre), ZERO),
            participants=Count("heures__participant", filter=filtre, distinct=True),
            externes=Count("heures__candidat_externe", filter=filtre, distinct=True),
        )
        .values(
            "pk",
            "numero",
            "intitule",
            "heures_prevues",
            "date_debut",
            "date_fin",
            "realisees",
            "participants",
            "externes",
            "operation__nom",
            "operation__donneur_ordre__nom",
            "attributaire__raison_sociale",
        )
        .order_by("operation__donneur_ordre__nom", "operation__nom", "numero")
    )
    return [
        {
            **ligne,
            "personnes": _somme_personnes(ligne),
            "taux": taux(ligne["realisees"], ligne["heures_prevues"]),
        }
        for ligne in lignes
    ]


# Les regroupements du bilan : nom -> (clé de regroupement, {champ affiché: colonne de `m`}).
REGROUPEMENTS = {
    "donneurs": ("donneur", {"nom": "donneur_nom"}),
    "operations": ("operation", {"donneur_ordre": "donneur_nom", "nom": "operation_nom"}),
    "entreprises": ("attributaire", {"nom": "attributaire_nom", "siret": "attributaire_siret"}),
}


_FAITS = ("realisees", "personnes", "taux")
_SANS = ("sans_donneur", "sans_operation", "sans_attributaire")
_COMPTES = (
    *("prevues", "marches", "operations", "entreprises"),
    *("realisees", "participants", "externes"),
)


def bilan_heures(marches, periode: Periode = SANS_BORNE) -> dict:
    """Le total et les regroupements par donneur d'ordre, opération et entreprise attributaire
    (prévu, réalisé, taux, personnes distinctes, marchés) : **une** requête `GROUPING SETS`.

    Les heures prévues se somment sur les marchés, les heures réalisées et les personnes sur les
    lignes d'heures : les deux sortes de lignes sont mises bout à bout (`UNION ALL`) au lieu d'être
    jointes, pour ne pas multiplier les heures prévues par le nombre de lignes d'heures."""
    if marches.query.is_empty():  # `.none()` : rien à compiler, des zéros
        return _ranger([{**dict.fromkeys(_SANS, 1), **dict.fromkeys(_COMPTES, 0)}])
    sql_marches, params_marches = (
        marches.values(
            "id",
            "heures_prevues",
            "operation_id",
            "attributaire_id",
            donneur=F("operation__donneur_ordre_id"),
            donneur_nom=F("operation__donneur_ordre__nom"),
            operation_nom=F("operation__nom"),
            attributaire_nom=F("attributaire__raison_sociale"),
            attributaire_siret=F("attributaire__siret"),
        )
        .order_by()
        .query.sql_with_params()
    )
    sql_heures, params_heures = (
        heures_du_perimetre(marches, periode)
        .values("marche_id", "heures", "participant_id", "candidat_externe_id")
        .order_by()
        .query.sql_with_params()
    )
    colonnes = "m.id AS marche, m.operation_id AS operation, m.donneur, "
    colonnes += "m.attributaire_id AS attributaire, " + ", ".join(
        f"m.{c}" for c in ("donneur_nom", "operation_nom", "attributaire_nom", "attributaire_siret")
    )
    ensembles = ", ".join(
        "(" + ", ".join((cle, *champs.values())) + ")" for cle, champs in REGROUPEMENTS.values()
    )
    sql = f"""
        WITH m AS ({sql_marches}), h AS ({sql_heures}),
        l AS (
            SELECT {colonnes}, TRUE AS est_marche, m.heures_prevues AS prevues,
                NULL::numeric AS heures, NULL::bigint AS participant, NULL::bigint AS externe
            FROM m
            UNION ALL
            SELECT {colonnes}, FALSE, NULL, h.heures, h.participant_id, h.candidat_externe_id
            FROM h JOIN m ON m.id = h.marche_id
        )
        SELECT GROUPING(donneur) AS sans_donneur, GROUPING(operation) AS sans_operation,
            GROUPING(attributaire) AS sans_attributaire,
            donneur, operation, attributaire, donneur_nom, operation_nom, attributaire_nom,
            attributaire_siret,
            COALESCE(SUM(prevues), 0) AS prevues, COUNT(*) FILTER (WHERE est_marche) AS marches,
            COUNT(DISTINCT operation) AS operations, COUNT(DISTINCT attributaire) AS entreprises,
            COALESCE(SUM(heures), 0) AS realisees,
            COUNT(DISTINCT participant) AS participants, COUNT(DISTINCT externe) AS externes
        FROM l
        GROUP BY GROUPING SETS ((), {ensembles})
    """  # noqa: S608 (des sous-requêtes de l'ORM et des constantes ; valeurs en paramètres)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params_marches, *params_heures])
        noms = [colonne.name for colonne in cursor.description]
        return _ranger([dict(zip(noms, ligne, strict=True)) for ligne in cursor.fetchall()])


def _ranger(lignes: list[dict]) -> dict:
    """Les lignes de `GROUPING SETS` rangées : le total, puis chaque regroupement trié."""
    resultat = {nom: [] for nom in REGROUPEMENTS}
    for ligne in lignes:
        ligne["personnes"] = _somme_personnes(ligne)
        ligne["taux"] = taux(ligne["realisees"], ligne["prevues"])
        cles = (ligne["sans_donneur"], ligne["sans_operation"], ligne["sans_attributaire"])
        if all(cles):
            resultat["totaux"] = {
                c: ligne[c] for c in (*("prevues", "marches", "operations", "entreprises"), *_FAITS)
            }
            continue
        for nom, (cle, champs) in REGROUPEMENTS.items():
            if not ligne[f"sans_{cle}"]:
                entree = {champ: ligne[colonne] for champ, colonne in champs.items()}
                entree.update(
                    {c: ligne[c] for c in ("marches", "prevues", *_FAITS)},
                    cle=ligne[cle],
                )
                resultat[nom].append(entree)
    for nom, (_cle, champs) in REGROUPEMENTS.items():
        resultat[nom].sort(
            key=lambda e, champs=champs: [normaliser(str(e[n] or "")) for n in champs]
        )
    return resultat


def par_operation(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    return bilan_heures(marches, periode)["operations"]


def par_donneur_ordre(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    return bilan_heures(marches, periode)["donneurs"]


def par_entreprise(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Par entreprise attributaire : ses marchés (prévu) et les heures faites sur eux, par elle
    ou ses sous-traitants (réalisé)."""
    return bilan_heures(marches, periode)["entreprises"]


def totaux(marches, periode: Periode = SANS_BORNE) -> dict:
    """Prévu, réalisé, taux, personnes, marchés, opérations, entreprises : une requête."""
    return bilan_heures(marches, periode)["totaux"]
