"""La passe quotidienne des intérims (`expirer_delegations`), ensembliste : retirer les droits
des intérims échus, accorder ceux des intérims qui commencent, suivre les portefeuilles des
intérims en cours — en un nombre de requêtes constant, quel que soit le nombre d'intérims et de
dossiers (mêmes règles que `portefeuilles.synchroniser_delegation`, dossier par dossier)."""

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from parcours.accompagnement.enums import STATUTS_FILE_ACTIVE
from parcours.accompagnement.models import (
    Delegation,
    JournalDelegation,
    Parcours,
    ParcoursUserObjectPermission,
)
from parcours.accompagnement.suivi.portefeuilles import _permissions_interim

Evenement = JournalDelegation.Evenement
Couverts = Delegation.parcours_couverts.through


def _supprimer_paires(table: str, colonnes: tuple[str, str], paires, filtre="", params=()):
    """DELETE des lignes dont (colonne1, colonne2) est dans `paires`, en une requête."""
    if not paires:
        return
    gauche, droite = zip(*paires, strict=True)
    # Table et colonnes viennent des modèles, jamais d'une saisie ; les valeurs sont des paramètres.
    with connection.cursor() as cursor:
        requete = (
            f"DELETE FROM {table} WHERE ({colonnes[0]}, {colonnes[1]}) IN "  # noqa: S608
            f"(SELECT * FROM unnest(%s::bigint[], %s::bigint[])){filtre}"
        )
        cursor.execute(
            requete,
            [list(gauche), list(droite), *params],
        )


def _portefeuilles(actives) -> dict:
    """Les dossiers ouverts de chaque titulaire d'intérim actif, par (PLIE, titulaire)."""
    cles = {(d.plie_id, d.titulaire_id) for d in actives}
    portefeuilles = defaultdict(set)
    if not cles:
        return portefeuilles
    lignes = Parcours.objects.filter(
        plie_id__in={p for p, _ in cles},
        referent_id__in={t for _, t in cles},
        statut__in=STATUTS_FILE_ACTIVE,
    ).values_list("pk", "plie_id", "referent_id")
    for pk, plie_id, referent_id in lignes:
        if (plie_id, referent_id) in cles:
            portefeuilles[(plie_id, referent_id)].add(pk)
    return portefeuilles


@transaction.atomic
def expirer_delegations(jour: datetime.date | None = None) -> int:
    """Tâche périodique : aligne les droits de chaque suppléant sur les intérims actifs `jour`.
    Renvoie le nombre d'intérims arrivés à échéance (droits retirés, journal « expiré »)."""
    jour = jour or timezone.localdate()
    a_suivre = list(
        Delegation.objects.filter(levee_le__isnull=True, debut__lte=jour)
        .filter(Q(fin__gte=jour) | Q(parcours_couverts__isnull=False))
        .distinct()
    )
    if not a_suivre:
        return 0
    couverts = defaultdict(set)
    for d_id, p_id in Couverts.objects.filter(delegation__in=a_suivre).values_list(
        "delegation_id", "parcours_id"
    ):
        couverts[d_id].add(p_id)
    actives = [d for d in a_suivre if d.active_le(jour)]
    portefeuilles = _portefeuilles(actives)
    journal, ajouts, retraits, gardes = [], [], set(), set()
    echues = 0
    for d in a_suivre:
        avant = couverts[d.pk]
        voulus = portefeuilles[(d.plie_id, d.titulaire_id)] if d.active_le(jour) else set()
        gardes |= {(d.suppleant_id, p) for p in voulus}
        if d.fin < jour and avant:
            journal.append(
                JournalDelegation(
                    delegation=d, evenement=Evenement.EXPIREE, nombre_dossiers=len(avant)
                )
            )
            echues += 1
        if a_ajouter := voulus - avant:
            ajouts += [(d, p) for p in sorted(a_ajouter)]
            journal.append(
                JournalDelegation(
                    delegation=d,
                    evenement=Evenement.DROITS_ACCORDES,
                    nombre_dossiers=len(a_ajouter),
                )
            )
        if a_retirer := avant - voulus:
            retraits |= {(d.pk, d.suppleant_id, p) for p in a_retirer}
            journal.append(
                JournalDelegation(
                    delegation=d, evenement=Evenement.DROITS_RETIRES, nombre_dossiers=len(a_retirer)
                )
            )
    if ajouts:
        permissions = _permissions_interim()
        ParcoursUserObjectPermission.objects.bulk_create(
            [
                ParcoursUserObjectPermission(
                    user_id=d.suppleant_id, permission=perm, content_object_id=p
                )
                for d, p in ajouts
                for perm in permissions
            ],
            ignore_conflicts=True,
        )
        Couverts.objects.bulk_create(
            [Couverts(delegation_id=d.pk, parcours_id=p) for d, p in ajouts],
            ignore_conflicts=True,
        )
    if retraits:
        _supprimer_paires(
            Couverts._meta.db_table,
            ("delegation_id", "parcours_id"),
            {(d, p) for d, _, p in retraits},
        )
        # Un droit que couvre encore un autre intérim actif du même suppléant est gardé.
        _supprimer_paires(
            ParcoursUserObjectPermission._meta.db_table,
            ("user_id", "content_object_id"),
            {(s, p) for _, s, p in retraits} - gardes,
            " AND permission_id = ANY(%s)",
            [[perm.pk for perm in _permissions_interim()]],
        )
    JournalDelegation.objects.bulk_create(journal)
    return echues
