"""Clauses sociales d'insertion : donneurs d'ordre, opérations, marchés, besoins, candidatures
(docs/clauses.md)."""

import functools
import operator

from django.db.models import Exists, OuterRef, Q

from parcours.acces.garde import droit, liste
from parcours.accompagnement.models import Parcours
from parcours.clauses.enums import StatutBesoin
from parcours.clauses.models import Positionnement
from parcours.core.enums import Role
from parcours.core.perimetre import actif, perimetre
from parcours.core.roles import (
    ROLES_FACILITATION,
    ROLES_LECTURE_CLAUSES,
    ROLES_PROPOSITION,
    ROLES_REFERENT,
)
from parcours.participants.models import Participant


@droit
def peut_faciliter(user, plie_id: int) -> bool:
    """Créer ou modifier donneurs d'ordre, opérations, marchés, besoins ; vérifier l'éligibilité,
    positionner, enregistrer la décision de l'entreprise et l'embauche, saisir des heures."""
    return perimetre(user).a_role(plie_id, ROLES_FACILITATION)


def _plies_clauses(user) -> set[int]:
    return perimetre(user).plies(ROLES_LECTURE_CLAUSES)


@droit
def voit_les_clauses(user) -> bool:
    """Ouvre les listes de donneurs d'ordre, opérations et marchés (filtrées ensuite) : le
    facilitateur, l'animation, la direction, un compte de donneur d'ordre."""
    return bool(perimetre(user).roles & (ROLES_LECTURE_CLAUSES | {Role.DONNEUR_ORDRE}))


@droit
def voit_les_besoins(user) -> bool:
    """Ouvre les besoins (opportunités) et les candidatures (filtrées ensuite) : facilitateur,
    animation, direction, référents et prescripteurs."""
    roles = perimetre(user).roles
    return bool(roles & (ROLES_LECTURE_CLAUSES | ROLES_PROPOSITION | ROLES_REFERENT))


@liste("clauses.Operation", superuser_voit_tout=False)
def operations_du_donneur_ordre(user, queryset):
    """Les opérations des donneurs d'ordre rattachés à une structure où l'utilisateur tient le
    rôle `donneur_ordre` : ce qu'un compte de donneur d'ordre lit (bilans d'heures)."""
    structures = perimetre(user).structures(Role.DONNEUR_ORDRE)
    return queryset.filter(donneur_ordre__structure_id__in=structures)


def _filtre_operations(user, prefixe="") -> Q:
    """Q sur une opération (ou un objet qui y mène par `prefixe`) : PLIE de lecture des clauses,
    ou opération d'un donneur d'ordre rattaché à la structure de l'utilisateur."""
    p = perimetre(user)
    return Q(**{f"{prefixe}donneur_ordre__plie_id__in": _plies_clauses(user)}) | Q(
        **{f"{prefixe}donneur_ordre__structure_id__in": p.structures(Role.DONNEUR_ORDRE)}
    )


@liste("clauses.Operation")
def operations_visibles(user, queryset):
    """Les opérations qu'on lit (fiches, bilans d'heures par opération) : celles des PLIE où l'on
    gère ou pilote les clauses, et pour un donneur d'ordre, les siennes seulement."""
    return queryset.filter(_filtre_operations(user))


@liste("clauses.DonneurOrdre")
def donneurs_ordre_visibles(user, queryset):
    """Les donneurs d'ordre des PLIE où l'on gère ou pilote les clauses ; un compte de donneur
    d'ordre voit le sien."""
    return queryset.filter(
        Q(plie_id__in=_plies_clauses(user))
        | Q(structure_id__in=perimetre(user).structures(Role.DONNEUR_ORDRE))
    )


@liste("clauses.Marche")
def marches_visibles(user, queryset):
    """Les marchés des PLIE où l'on gère ou pilote les clauses ; pour un donneur d'ordre, ceux de
    ses opérations (sans leurs besoins ni leurs candidats : `besoins_visibles`)."""
    return queryset.filter(_filtre_operations(user, "operation__"))


@liste("clauses.Besoin")
def besoins_visibles(user, queryset):
    """Les besoins (postes à pourvoir) : tous ceux du PLIE pour le facilitateur et le pilotage ;
    pour les référents et prescripteurs du PLIE, les besoins ouverts (opportunités) et ceux où
    ils ont proposé quelqu'un."""
    proposants = perimetre(user).plies(ROLES_PROPOSITION)
    mes_propositions = Positionnement.objects.filter(
        besoin_id=OuterRef("pk"), propose_par_id=user.pk
    )
    return queryset.filter(
        Q(marche__plie_id__in=_plies_clauses(user))
        | Q(marche__plie_id__in=proposants, statut=StatutBesoin.OUVERT)
        | (Q(marche__plie_id__in=proposants) & Q(Exists(mes_propositions)))
    )


@liste("clauses.Positionnement")
def positionnements_visibles(user, queryset):
    """Les candidatures : toutes celles du PLIE pour le facilitateur et le pilotage ; pour un
    référent, celles de ses participants (sa file active) ; pour un prescripteur, celles que sa
    structure a proposées ; pour chacun, celles qu'il a proposées."""
    p = perimetre(user)
    proposants = p.plies(ROLES_PROPOSITION)
    # Seules les conditions que son périmètre ouvre sont bâties (un `__in` vide ne retient rien) :
    # sur chaque URL de candidature, l'ORM ne construit plus le `EXISTS` des référents pour
    # l'écarter ensuite. Sans aucune, ce `EXISTS` (vide, donc faux) reste : la requête se compile.
    conditions = []
    if plies := _plies_clauses(user):
        conditions.append(Q(plie_id__in=plies))
    if proposants:
        conditions.append(Q(plie_id__in=proposants, propose_par_id=user.pk))
        if structures := p.structures(Role.PRESCRIPTEUR):
            conditions.append(Q(plie_id__in=proposants, structure_proposante_id__in=structures))
    if (plies := p.plies(ROLES_REFERENT)) or not conditions:
        suivis = Parcours.objects.filter(
            participant_id=OuterRef("participant_id"),
            plie_id=OuterRef("plie_id"),
            referent_id=user.pk,
            plie_id__in=plies,
        )
        conditions.append(Q(Exists(suivis)))
    return queryset.filter(functools.reduce(operator.or_, conditions))


@liste("clauses.CandidatExterne")
def candidats_externes_visibles(user, queryset):
    """Les candidats externes : tous ceux du PLIE pour le facilitateur et le pilotage ; ceux qu'on
    a enregistrés ou que sa structure prescriptrice a proposés, pour les autres."""
    p = perimetre(user)
    proposants = p.plies(ROLES_PROPOSITION)
    return queryset.filter(
        Q(plie_id__in=_plies_clauses(user))
        | Q(plie_id__in=proposants, created_by_id=user.pk)
        | Q(plie_id__in=proposants, structure_id__in=p.structures(Role.PRESCRIPTEUR))
    )


@droit
def peut_proposer(user, plie_id: int) -> bool:
    """Proposer une candidature sur un besoin du PLIE : référent (ses participants), prescripteur
    (ses personnes), facilitateur (candidats externes reçus directement)."""
    return perimetre(user).a_role(plie_id, ROLES_PROPOSITION | ROLES_FACILITATION)


def _condition_proposable(user, plie_id) -> Q:
    p = perimetre(user)
    condition = Q(pk__in=[])
    if p.a_role(plie_id, ROLES_REFERENT):
        condition |= Q(referent_id=user.pk)
    if p.a_role(plie_id, {Role.PRESCRIPTEUR}):
        condition |= Q(structure_prescriptrice_id__in=p.structures(Role.PRESCRIPTEUR))
    return condition


def participants_proposables(user, plie_id: int, queryset=None):
    """Les participants qu'un utilisateur peut proposer sur une clause de ce PLIE : ceux de sa
    file active (référent) ou qu'il a prescrits (prescripteur), avec un parcours ouvert dans ce
    PLIE. Le facilitateur ne propose pas de participant : leur référent le fait."""
    queryset = Participant.objects.all() if queryset is None else queryset
    if not actif(user):
        return queryset.none()
    ouverts = Parcours.objects.ouverts().filter(
        _condition_proposable(user, plie_id), plie_id=plie_id, participant_id=OuterRef("pk")
    )
    return queryset.filter(Exists(ouverts))


def peut_proposer_sur_clause(user, parcours) -> bool:
    """Le même prédicat que `participants_proposables`, pour le parcours ouvert d'une personne."""
    if not actif(user):
        return False
    return (
        Parcours.objects.ouverts()
        .filter(_condition_proposable(user, parcours.plie_id), pk=parcours.pk)
        .exists()
    )
