"""Heures prévues et réalisées, taux de réalisation et personnes : par marché, par opération,
par donneur d'ordre, par entreprise attributaire, et au total."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
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


def _regrouper(marches, periode, cle: str, champs: dict[str, str]) -> list[dict]:
    """Prévu (somme des marchés) et réalisé (somme des heures) regroupés par `cle` (chemin depuis
    Marche) : deux requêtes groupées, fusionnées sur la clé. Deux requêtes plutôt qu'une jointure
    pour ne pas multiplier les heures prévues par le nombre de lignes d'heures."""
    valeurs = champs
    prevues = (
        marches.values(cle, *valeurs.values())
        .annotate(prevues=Sum("heures_prevues"), marches=Count("pk"))
        .order_by()
    )
    realisees = {
        ligne[f"marche__{cle}"]: ligne
        for ligne in heures_du_perimetre(marches, periode)
        .values(f"marche__{cle}")
        .annotate(realisees=Sum("heures"), **_personnes())
        .order_by()
    }
    resultat = []
    for ligne in prevues:
        faites = realisees.get(ligne[cle], {})
        entree = {nom: ligne[chemin] for nom, chemin in valeurs.items()}
        entree.update(
            cle=ligne[cle],
            marches=ligne["marches"],
            prevues=ligne["prevues"] or Decimal(0),
            realisees=faites.get("realisees") or Decimal(0),
            personnes=_somme_personnes(faites),
        )
        entree["taux"] = taux(entree["realisees"], entree["prevues"])
        resultat.append(entree)
    return sorted(resultat, key=lambda e: [normaliser(str(e[n] or "")) for n in valeurs])


def par_operation(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    return _regrouper(
        marches,
        periode,
        "operation_id",
        {"donneur_ordre": "operation__donneur_ordre__nom", "nom": "operation__nom"},
    )


def par_donneur_ordre(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    return _regrouper(
        marches,
        periode,
        "operation__donneur_ordre_id",
        {"nom": "operation__donneur_ordre__nom"},
    )


def par_entreprise(marches, periode: Periode = SANS_BORNE) -> list[dict]:
    """Par entreprise attributaire : ses marchés (prévu) et les heures faites sur eux, par elle
    ou ses sous-traitants (réalisé)."""
    return _regrouper(
        marches,
        periode,
        "attributaire_id",
        {"nom": "attributaire__raison_sociale", "siret": "attributaire__siret"},
    )


def totaux(marches, periode: Periode = SANS_BORNE) -> dict:
    """Prévu, réalisé, taux, personnes, marchés, opérations : deux requêtes."""
    prevu = marches.aggregate(
        prevues=Coalesce(Sum("heures_prevues"), ZERO),
        marches=Count("pk"),
        operations=Count("operation", distinct=True),
        entreprises=Count("attributaire", distinct=True),
    )
    fait = heures_du_perimetre(marches, periode).aggregate(
        realisees=Coalesce(Sum("heures"), ZERO), **_personnes()
    )
    return {
        **prevu,
        "realisees": fait["realisees"],
        "personnes": _somme_personnes(fait),
        "taux": taux(fait["realisees"], prevu["prevues"]),
    }
