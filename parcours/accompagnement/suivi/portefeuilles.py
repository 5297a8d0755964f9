"""Les portefeuilles des référents : changer le référent d'un dossier ou de tout un portefeuille,
organiser un intérim (délégation : droits django-guardian du suppléant sur les dossiers couverts),
le lever, le faire expirer. Réservé à l'animation et à la direction du PLIE.
"""

import datetime

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from parcours.accompagnement.enums import (
    STATUTS_FILE_ACTIVE,
    Statut,
)
from parcours.accompagnement.models import (
    ChangementReferent,
    Delegation,
    JournalDelegation,
    Parcours,
    ParcoursUserObjectPermission,
)
from parcours.accompagnement.suivi.commun import lever_si_erreurs
from parcours.accompagnement.suivi.signaux import referent_change
from parcours.core.enums import Role
from parcours.core.errors import (
    TransitionInterdite,
    TransitionNonAutorisee,
)
from parcours.core.models import PLIE, Membership, User
from parcours.core.perimetre import structure_de_referent

# Droits django-guardian accordés au suppléant d'un intérim, sur chaque dossier couvert.
DROITS_INTERIM = ("view_parcours", "change_parcours")


# — Changement de référent —


def peut_gerer_portefeuilles(user, plie_id: int) -> bool:
    """Réaffecter des dossiers, organiser un intérim : l'animation et la direction du PLIE."""
    # Le droit ne lit que la clé du PLIE : pas de requête pour le charger.
    return user.has_perm("core.gerer_portefeuilles", PLIE(pk=plie_id))


@transaction.atomic
def changer_referent(parcours_ou_queryset, nouveau, par, motif: str) -> list[ChangementReferent]:
    """Confie un dossier, ou tout un portefeuille (queryset), à un autre référent du même PLIE.

    Réservé à l'animation et à la direction du PLIE de chaque dossier. Le nouveau référent doit
    être référent en activité dans ce PLIE ; un dossier clos ou déjà suivi par lui est refusé
    (dossier seul) ou ignoré (portefeuille). Une ligne de journal par dossier.
    """
    en_masse = not isinstance(parcours_ou_queryset, Parcours)
    motif = (motif or "").strip()
    if not motif:
        lever_si_erreurs({"motif": "Un motif est obligatoire pour changer de référent."})
    if en_masse:
        ids = list(parcours_ou_queryset.values_list("pk", flat=True))
    else:
        ids = [parcours_ou_queryset.pk]
    dossiers = list(Parcours.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    structures = {}
    changements = []
    for parcours in dossiers:
        if not peut_gerer_portefeuilles(par, parcours.plie_id):
            raise TransitionNonAutorisee(
                "Vous n'avez pas le droit de changer le référent de ce dossier : seules "
                "l'équipe d'animation et la direction du PLIE le peuvent."
            )
        if parcours.plie_id not in structures:
            structures[parcours.plie_id] = structure_de_referent(nouveau, parcours.plie_id)
        structure = structures[parcours.plie_id]
        if structure is None:
            lever_si_erreurs(
                {"nouveau": f"{nouveau} n'est pas référent de parcours en activité dans ce PLIE."}
            )
        ignore = parcours.statut not in STATUTS_FILE_ACTIVE or parcours.referent_id == nouveau.pk
        if ignore and en_masse:
            continue
        if parcours.statut not in STATUTS_FILE_ACTIVE:
            raise TransitionInterdite(
                "Impossible de changer le référent : le parcours est à l'état "
                f"« {Statut(parcours.statut).label} »."
            )
        if parcours.referent_id == nouveau.pk:
            lever_si_erreurs({"nouveau": f"{nouveau} est déjà le référent de ce dossier."})
        changements.append(
            ChangementReferent(
                parcours=parcours,
                ancien_id=parcours.referent_id,
                nouveau=nouveau,
                ancienne_structure_id=parcours.structure_referente_id,
                nouvelle_structure=structure,
                par=par,
                motif=motif,
                en_masse=en_masse,
            )
        )
        # Mise à jour directe : le statut (FSM protégé) n'est pas touché.
        Parcours.objects.filter(pk=parcours.pk).update(
            referent=nouveau, structure_referente=structure, updated_at=timezone.now()
        )
    ChangementReferent.objects.bulk_create(changements)
    if changements:
        referent_change.send(sender=ChangementReferent, changements=changements, par=par)
    # Un intérim en cours sur l'ancien portefeuille ne couvre plus ces dossiers, le nouveau oui.
    for delegation in Delegation.objects.actives().filter(
        plie_id__in=structures, titulaire_id__in={c.ancien_id for c in changements} | {nouveau.pk}
    ):
        synchroniser_delegation(delegation)
    return changements


# — Intérim (délégation de portefeuille) —


def _permissions_interim() -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="accompagnement", codename__in=DROITS_INTERIM
        )
    )


def _dossiers_du_titulaire(delegation: Delegation):
    return Parcours.objects.filter(
        plie_id=delegation.plie_id,
        referent_id=delegation.titulaire_id,
        statut__in=STATUTS_FILE_ACTIVE,
    )


def _couverts_ailleurs(delegation: Delegation) -> set[int]:
    """Dossiers que d'autres intérims actifs du même suppléant couvrent encore."""
    autres = Delegation.objects.actives().filter(suppleant_id=delegation.suppleant_id)
    return set(
        Delegation.parcours_couverts.through.objects.filter(
            delegation__in=autres.exclude(pk=delegation.pk)
        ).values_list("parcours_id", flat=True)
    )


def _retirer_droits(delegation: Delegation, parcours_ids: set[int]) -> int:
    retires = set(parcours_ids) - _couverts_ailleurs(delegation)
    if retires:
        ParcoursUserObjectPermission.objects.filter(
            user_id=delegation.suppleant_id,
            permission__in=_permissions_interim(),
            content_object_id__in=retires,
        ).delete()
    delegation.parcours_couverts.remove(*parcours_ids)
    return len(parcours_ids)


def synchroniser_delegation(delegation: Delegation, par=None, jour=None) -> None:
    """Aligne les droits du suppléant sur le portefeuille actuel du titulaire (intérim actif) ou
    les retire tous (intérim levé, échu ou pas encore commencé)."""
    couverts = set(delegation.parcours_couverts.values_list("pk", flat=True))
    if delegation.active_le(jour):
        voulus = set(_dossiers_du_titulaire(delegation).values_list("pk", flat=True))
    else:
        voulus = set()
    a_ajouter, a_retirer = voulus - couverts, couverts - voulus
    if a_ajouter:
        permissions = _permissions_interim()
        ParcoursUserObjectPermission.objects.bulk_create(
            [
                ParcoursUserObjectPermission(
                    user_id=delegation.suppleant_id, permission=perm, content_object_id=pk
                )
                for pk in a_ajouter
                for perm in permissions
            ],
            ignore_conflicts=True,
        )
        delegation.parcours_couverts.add(*a_ajouter)
        JournalDelegation.objects.create(
            delegation=delegation,
            evenement=JournalDelegation.Evenement.DROITS_ACCORDES,
            nombre_dossiers=len(a_ajouter),
            par=par,
        )
    if a_retirer:
        _retirer_droits(delegation, a_retirer)
        JournalDelegation.objects.create(
            delegation=delegation,
            evenement=JournalDelegation.Evenement.DROITS_RETIRES,
            nombre_dossiers=len(a_retirer),
            par=par,
        )


@transaction.atomic
def deleguer_portefeuille(
    titulaire, suppleant, par, *, plie, debut: datetime.date, fin: datetime.date, motif: str
) -> Delegation:
    """Confie l'intérim du portefeuille de `titulaire` à `suppleant` du `debut` à la `fin`.

    Le suppléant reçoit l'accès aux dossiers ouverts du titulaire pendant cette période (dès
    maintenant si elle a commencé ; sinon par `expirer_delegations` le jour venu)."""
    plie_id = getattr(plie, "pk", plie)
    if not peut_gerer_portefeuilles(par, plie_id):
        raise TransitionNonAutorisee(
            "Vous n'avez pas le droit d'organiser un intérim : seules l'équipe d'animation et la "
            "direction du PLIE le peuvent."
        )
    erreurs = {}
    motif = (motif or "").strip()
    if not motif:
        erreurs["motif"] = "Un motif est obligatoire (congé, arrêt, départ…)."
    if suppleant.pk == titulaire.pk:
        erreurs["suppleant"] = "Le suppléant doit être une autre personne que le référent absent."
    elif structure_de_referent(suppleant, plie_id) is None:
        erreurs["suppleant"] = (
            f"{suppleant} n'est pas référent de parcours en activité dans ce PLIE."
        )
    # Un référent parti (adhésion close) peut encore avoir des dossiers à couvrir.
    a_des_dossiers = Parcours.objects.filter(
        plie_id=plie_id, referent_id=titulaire.pk, statut__in=STATUTS_FILE_ACTIVE
    ).exists()
    if not a_des_dossiers and structure_de_referent(titulaire, plie_id) is None:
        erreurs["titulaire"] = f"{titulaire} n'a pas de portefeuille dans ce PLIE."
    if debut is None:
        erreurs["debut"] = "La date de début est obligatoire."
    if fin is None:
        erreurs["fin"] = "La date de fin est obligatoire."
    elif debut is not None and fin < debut:
        erreurs["fin"] = f"La fin ne peut pas précéder le début ({debut:%d/%m/%Y})."
    elif fin < timezone.localdate():
        erreurs["fin"] = "Un intérim se termine au plus tôt aujourd'hui."
    lever_si_erreurs(erreurs)
    delegation = Delegation.objects.create(
        plie_id=plie_id,
        titulaire=titulaire,
        suppleant=suppleant,
        debut=debut,
        fin=fin,
        motif=motif,
        par=par,
    )
    JournalDelegation.objects.create(
        delegation=delegation, evenement=JournalDelegation.Evenement.CREEE, par=par
    )
    synchroniser_delegation(delegation, par=par)
    return delegation


@transaction.atomic
def lever_delegation(delegation: Delegation, par) -> Delegation:
    """Met fin à l'intérim (retour du titulaire) : le suppléant perd l'accès aux dossiers."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if not peut_gerer_portefeuilles(par, delegation.plie_id):
        raise TransitionNonAutorisee(
            "Vous n'avez pas le droit de lever cet intérim : seules l'équipe d'animation et la "
            "direction du PLIE le peuvent."
        )
    if delegation.levee_le is not None:
        raise TransitionInterdite("Cet intérim est déjà levé.")
    delegation.levee_le = timezone.now()
    delegation.levee_par = par
    delegation.save(update_fields=["levee_le", "levee_par"])
    JournalDelegation.objects.create(
        delegation=delegation,
        evenement=JournalDelegation.Evenement.LEVEE,
        nombre_dossiers=delegation.parcours_couverts.count(),
        par=par,
    )
    synchroniser_delegation(delegation, par=par)
    return delegation


def referents_du_plie(plie_id: int):
    """Les comptes tenant une adhésion active de référent de parcours dans ce PLIE."""
    adhesions = Membership.objects.actives().filter(role=Role.REFERENT, structure__plie_id=plie_id)
    return User.objects.filter(pk__in=adhesions.values("user_id")).order_by(
        "last_name", "first_name", "pk"
    )
